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

  it('rotates the secret so the new one can be read once more', () => {
    spec
      .given([registered, revealed])
      .when({ type: 'RotateClientSecret', applicationId: 'a-1', profileId: 'p-1' })
      .then([{ type: 'ClientSecretRotated', applicationId: 'a-1', profileId: 'p-1', rotatedAt: now }]);
    spec
      .given([registered, revealed, { type: 'ClientSecretRotated', applicationId: 'a-1', profileId: 'p-1', rotatedAt: now }])
      .when({ ...reveal, clientSecretHash: 's2' })
      .then([{ ...revealed, clientSecretHash: 's2' } as OAuthApplicationEvent]);
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
