import { ErrorCodes, type OAuthApplicationEvent, type RegisterOAuthApplication } from '@platform/contracts';
import { deciderSpec } from '@platform/service-runtime';
import { decide, evolve, initialState, oauthApplicationAggregate } from './oauth-application.decider';

const now = '2026-02-21T15:33:44.000Z';
const spec = deciderSpec({ decide, evolve, initialState }, { now });
const register: RegisterOAuthApplication = {
  type: 'RegisterOAuthApplication',
  applicationId: 'a-1',
  profileId: 'p-1',
  name: 'Photo printer',
  clientId: 'client-1',
  clientType: 'confidential',
  redirectUris: ['https://printer.example/callback'],
  scopes: ['profile:read'],
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 2_592_000,
};
const { type: _type, ...registeredFields } = register;
const registered: OAuthApplicationEvent = { ...registeredFields, type: 'OAuthApplicationRegistered', registeredAt: now };
const revealed: OAuthApplicationEvent = { type: 'ClientCredentialsRevealed', applicationId: 'a-1', profileId: 'p-1', clientSecretHash: 's1', revealedAt: now };
const reveal = { type: 'RevealClientCredentials' as const, applicationId: 'a-1', profileId: 'p-1', clientSecretHash: 's1' };

describe('OAuth application decider', () => {
  it('registers an application and claims its client id', () => {
    spec.given([]).when(register).then([registered]);
    expect(oauthApplicationAggregate.claimsFor!(registered)).toEqual([
      { scope: 'oauth-app.client_id', value: 'client-1', rejectionReason: ErrorCodes.oauthClientIdTaken },
    ]);
  });

  it('reveals the credentials once, to the owner', () => spec.given([registered]).when(reveal).then([revealed]));
  it('refuses a second reveal with oauth.already_retrieved', () =>
    spec.given([registered, revealed]).when(reveal).thenRejects(ErrorCodes.oauthAlreadyRetrieved));
  it('hides the application from another profile', () =>
    spec.given([registered]).when({ ...reveal, profileId: 'p-2' }).thenRejects(ErrorCodes.oauthApplicationNotFound));
  it('reveals no secret for a public client', () =>
    spec
      .given([{ ...registered, clientType: 'public' } as OAuthApplicationEvent])
      .when(reveal)
      .then([{ ...revealed, clientSecretHash: null } as OAuthApplicationEvent]));

  describe('rotation with overlap', () => {
    const rotate = (graceSeconds?: number) => ({ type: 'RotateClientSecret' as const, applicationId: 'a-1', profileId: 'p-1', graceSeconds });
    const rotated = (graceSeconds: number, previousSecretHash: string | null, previousSecretExpiresAt: string | null): OAuthApplicationEvent => ({
      type: 'ClientSecretRotated',
      applicationId: 'a-1',
      profileId: 'p-1',
      graceSeconds,
      previousSecretHash,
      previousSecretExpiresAt,
      rotatedAt: now,
    });
    const inADay = '2026-02-22T15:33:44.000Z';
    const retired: OAuthApplicationEvent = { type: 'PreviousClientSecretRetired', applicationId: 'a-1', profileId: 'p-1', retiredAt: now };

    it('keeps the current secret authenticating for the grace period, and lets the owner read a new one once', () => {
      spec.given([registered, revealed]).when(rotate(86_400)).then([rotated(86_400, 's1', inADay)]);
      spec
        .given([registered, revealed, rotated(86_400, 's1', inADay)])
        .when({ ...reveal, clientSecretHash: 's2' })
        .then([{ ...revealed, clientSecretHash: 's2' } as OAuthApplicationEvent]);
    });

    it('refuses the old secret at once with graceSeconds 0, as a command without graceSeconds did', () => {
      spec.given([registered, revealed]).when(rotate(0)).then([rotated(0, null, null)]);
      spec.given([registered, revealed]).when(rotate()).then([rotated(0, null, null)]);
    });

    it('has nothing to keep when no secret was ever read', () => spec.given([registered]).when(rotate(3600)).then([rotated(3600, null, null)]));

    it('rotating again before the new secret was read keeps the secret clients still use', () =>
      spec.given([registered, revealed, rotated(60, 's1', '2026-02-21T15:34:44.000Z')]).when(rotate(86_400)).then([rotated(86_400, 's1', inADay)]));

    it('rotating again after the new secret was read keeps only the newest', () =>
      spec
        .given([registered, revealed, rotated(60, 's1', '2026-02-21T15:34:44.000Z'), { ...revealed, clientSecretHash: 's2' } as OAuthApplicationEvent])
        .when(rotate(86_400))
        .then([rotated(86_400, 's2', inADay)]));

    it('a previous secret whose grace ended is not carried over', () =>
      spec.given([registered, revealed, rotated(60, 's1', '2026-02-21T15:00:00.000Z')]).when(rotate(86_400)).then([rotated(86_400, null, null)]));

    it('refuses a grace period outside 0–604,800 seconds', () => {
      spec.given([registered, revealed]).when(rotate(604_801)).thenRejects(ErrorCodes.validation);
      spec.given([registered, revealed]).when(rotate(-1)).thenRejects(ErrorCodes.validation);
      spec.given([registered, revealed]).when(rotate(604_800)).then([rotated(604_800, 's1', '2026-02-28T15:33:44.000Z')]);
    });

    it('retires the previous secret early; retiring again, or with none left, changes nothing', () => {
      const retire = { type: 'RetirePreviousClientSecret' as const, applicationId: 'a-1', profileId: 'p-1' };
      spec.given([registered, revealed, rotated(86_400, 's1', inADay)]).when(retire).then([retired]);
      spec.given([registered, revealed, rotated(86_400, 's1', inADay), retired]).when(retire).then([]);
      spec.given([registered, revealed, rotated(60, 's1', '2026-02-21T15:00:00.000Z')]).when(retire).then([]);
      spec.given([registered, revealed]).when({ ...retire, profileId: 'p-2' }).thenRejects(ErrorCodes.oauthApplicationNotFound);
    });

    it('a retired previous secret is not carried over by the next rotation', () =>
      spec.given([registered, revealed, rotated(86_400, 's1', inADay), retired]).when(rotate(86_400)).then([rotated(86_400, null, null)]));
  });

  describe('updating', () => {
    const update = (changes: Record<string, unknown>) => ({ type: 'UpdateOAuthApplication' as const, applicationId: 'a-1', profileId: 'p-1', changes });

    it('records the fields given, and only those', () =>
      spec
        .given([registered])
        .when(update({ name: 'Printer', scopes: ['profile:read'], redirectUris: undefined }))
        .then([{ type: 'OAuthApplicationUpdated', applicationId: 'a-1', profileId: 'p-1', changes: { name: 'Printer', scopes: ['profile:read'] }, updatedAt: now }]));

    it('an update without changes records nothing', () => spec.given([registered]).when(update({})).then([]));

    it('hides the application from another profile and refuses a revoked one', () => {
      spec.given([registered]).when({ ...update({ name: 'x' }), profileId: 'p-2' }).thenRejects(ErrorCodes.oauthApplicationNotFound);
      const revoked: OAuthApplicationEvent = { type: 'OAuthApplicationRevoked', applicationId: 'a-1', profileId: 'p-1', revokedAt: now };
      spec.given([registered, revoked]).when(update({ name: 'x' })).thenRejects(ErrorCodes.oauthApplicationRevoked);
    });
  });

  it('revokes an application; a revoked one cannot reveal or rotate', () => {
    const revoked: OAuthApplicationEvent = { type: 'OAuthApplicationRevoked', applicationId: 'a-1', profileId: 'p-1', revokedAt: now };
    spec.given([registered]).when({ type: 'RevokeOAuthApplication', applicationId: 'a-1', profileId: 'p-1' }).then([revoked]);
    spec.given([registered, revoked]).when({ type: 'RevokeOAuthApplication', applicationId: 'a-1', profileId: 'p-1' }).then([]);
    spec.given([registered, revoked]).when(reveal).thenRejects(ErrorCodes.oauthApplicationRevoked);
    spec.given([registered, revoked]).when({ type: 'RotateClientSecret', applicationId: 'a-1', profileId: 'p-1' }).thenRejects(ErrorCodes.oauthApplicationRevoked);
  });

  it('deletes an application and releases its client id; a deleted one is not found', () => {
    const deleted: OAuthApplicationEvent = { type: 'OAuthApplicationDeleted', applicationId: 'a-1', profileId: 'p-1', clientId: 'client-1', deletedAt: now };
    spec.given([registered]).when({ type: 'DeleteOAuthApplication', applicationId: 'a-1', profileId: 'p-1' }).then([deleted]);
    spec.given([registered, deleted]).when(reveal).thenRejects(ErrorCodes.oauthApplicationNotFound);
    expect(oauthApplicationAggregate.releasesFor!(deleted, initialState())).toEqual([{ scope: 'oauth-app.client_id', value: 'client-1' }]);
  });
});
