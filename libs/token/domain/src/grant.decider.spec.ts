import {
  ErrorCodes,
  type GrantApplication,
  type GrantEvent,
  type GrantRevokedReason,
  type IssueAuthorizationCode,
  type IssueClientCredentialsToken,
  type IssuedTokens,
  type RedeemAuthorizationCode,
  type RefreshAccessToken,
  type RequestAuthorizationCode,
} from '@platform/contracts';
import { deciderSpec } from '@platform/service-runtime';
import { decide, evolve, grantAggregate, initialState } from './grant.decider';

// The clock: the code is requested at `requestedAt`, retrieved and redeemed ten seconds later,
// and lives 60 s from the request.
const requestedAt = '2026-02-21T15:33:44.000Z';
const now = '2026-02-21T15:33:54.000Z';
const lastValidMoment = '2026-02-21T15:34:43.999Z';
const codeExpiresAt = '2026-02-21T15:34:44.000Z';
const refreshExpiresAt = '2026-03-23T15:33:54.000Z';
const oneHourLater = '2026-02-21T16:33:54.000Z';
const twoHoursLater = '2026-02-21T17:33:54.000Z';
const afterRefreshExpiry = '2026-03-24T00:00:00.000Z';

const decider = { decide, evolve, initialState };
const at = (instant: string) => deciderSpec(decider, { now: instant });
const atRequest = at(requestedAt);
const spec = at(now);

const facts = { grantId: 'g-1', applicationId: 'app-1', clientId: 'client-1', profileId: 'p-1' };
const machineFacts = { ...facts, profileId: null };

const application = (scopes: string[]): GrantApplication => ({
  applicationId: 'app-1',
  clientId: 'client-1',
  ownerProfileId: 'owner-1',
  scopes,
  accessTokenTtlSeconds: 3600,
  refreshTokenTtlSeconds: 2_592_000,
});

const tokens = (n: number, withRefresh = true, issuedAt = now): IssuedTokens => ({
  accessTokenId: `at-${n}`,
  accessTokenExpiresAt: new Date(Date.parse(issuedAt) + 3600_000).toISOString(),
  refreshTokenHash: withRefresh ? `rh-${n}` : null,
  refreshTokenExpiresAt: withRefresh ? new Date(Date.parse(issuedAt) + 2_592_000_000).toISOString() : null,
});

// ---- events -------------------------------------------------------------------------------------

const requested = (overrides: Partial<Extract<GrantEvent, { type: 'AuthorizationCodeRequested' }>> = {}): GrantEvent => ({
  type: 'AuthorizationCodeRequested',
  ...facts,
  nonceHash: 'nh-1',
  scopes: ['profile:read'],
  requestedAt,
  codeExpiresAt,
  accessTokenTtlSeconds: 3600,
  refreshTokenTtlSeconds: 2_592_000,
  redirectUri: null,
  codeChallenge: null,
  ...overrides,
});
const codeIssued = (issuedAt = now, codeHash = 'ch-1'): GrantEvent => ({ type: 'AuthorizationCodeIssued', ...facts, codeHash, issuedAt, codeExpiresAt });
const accessIssued = (
  n: number,
  via: 'authorization_code' | 'refresh_token' | 'client_credentials' = 'authorization_code',
  issuedAt = now,
  scopes: string[] = ['profile:read'],
  grantFacts: typeof facts | typeof machineFacts = facts,
): GrantEvent => ({
  type: 'AccessTokenIssued',
  ...grantFacts,
  accessTokenId: `at-${n}`,
  scopes,
  issuedAt,
  expiresAt: tokens(n, true, issuedAt).accessTokenExpiresAt,
  via,
});
const refreshIssued = (n: number, issuedAt = now, grantFacts: typeof facts | typeof machineFacts = facts): GrantEvent => ({
  type: 'RefreshTokenIssued',
  ...grantFacts,
  refreshTokenHash: `rh-${n}`,
  issuedAt,
  expiresAt: tokens(n, true, issuedAt).refreshTokenExpiresAt as string,
});
const revoked = (reason: GrantRevokedReason, revokedAt = now, grantFacts: typeof facts | typeof machineFacts = facts): GrantEvent => ({
  type: 'GrantRevoked',
  ...grantFacts,
  reason,
  revokedAt,
});

/** A grant whose code was redeemed for access token 1 and refresh token 1. */
const redeemed: GrantEvent[] = [requested(), codeIssued(), accessIssued(1), refreshIssued(1)];
/** The same grant after one rotation: refresh token 1 retired, refresh token 2 current. */
const rotated: GrantEvent[] = [...redeemed, accessIssued(2, 'refresh_token', oneHourLater), refreshIssued(2, oneHourLater)];

// ---- commands -----------------------------------------------------------------------------------

const request = (overrides: Partial<RequestAuthorizationCode> = {}): RequestAuthorizationCode => ({
  type: 'RequestAuthorizationCode',
  grantId: 'g-1',
  profileId: 'p-1',
  application: application(['profile:read']),
  nonceHash: 'nh-1',
  scopes: ['profile:read'],
  ...overrides,
});
const issue = (overrides: Partial<IssueAuthorizationCode> = {}): IssueAuthorizationCode => ({
  type: 'IssueAuthorizationCode',
  grantId: 'g-1',
  clientId: 'client-1',
  nonceHash: 'nh-1',
  codeHash: 'ch-1',
  ...overrides,
});
const redeem = (overrides: Partial<RedeemAuthorizationCode> = {}): RedeemAuthorizationCode => ({
  type: 'RedeemAuthorizationCode',
  grantId: 'g-1',
  clientId: 'client-1',
  codeHash: 'ch-1',
  tokens: tokens(1),
  ...overrides,
});
const refresh = (refreshTokenHash: string, n: number, overrides: Partial<RefreshAccessToken> = {}, issuedAt = oneHourLater): RefreshAccessToken => ({
  type: 'RefreshAccessToken',
  grantId: 'g-1',
  clientId: 'client-1',
  refreshTokenHash,
  tokens: tokens(n, true, issuedAt),
  ...overrides,
});
const clientCredentials = (appScopes: string[], scopes: string[], withRefresh = false): IssueClientCredentialsToken => ({
  type: 'IssueClientCredentialsToken',
  grantId: 'g-1',
  application: application(appScopes),
  scopes,
  tokens: tokens(1, withRefresh),
});

describe('OAuth grant decider', () => {
  describe('RequestAuthorizationCode', () => {
    it('records the request with the scopes asked for, the 60 s code lifetime and the application TTLs', () =>
      atRequest.given([]).when(request()).then([requested()]));

    it('grants a subset of the application scopes', () =>
      atRequest
        .given([])
        .when(request({ application: application(['profile:read', 'oauth-app:read', 'data-token:write']), scopes: ['oauth-app:read'] }))
        .then([requested({ scopes: ['oauth-app:read'] })]));

    it('grants every application scope when none is asked for', () =>
      atRequest
        .given([])
        .when(request({ application: application(['profile:read', 'data-token:write']), scopes: [] }))
        .then([requested({ scopes: ['profile:read', 'data-token:write'] })]));

    it('grants each asked scope once', () =>
      atRequest
        .given([])
        .when(request({ application: application(['read']), scopes: ['profile:read', 'profile:read', 'oauth-app:read'] }))
        .then([requested({ scopes: ['profile:read', 'oauth-app:read'] })]));

    it('lets an application with `read` ask for any `<area>:read`', () =>
      atRequest
        .given([])
        .when(request({ application: application(['read']), scopes: ['profile:read', 'data-token:read'] }))
        .then([requested({ scopes: ['profile:read', 'data-token:read'] })]));

    it('lets an application with `write` ask for any `<area>:write`', () =>
      atRequest
        .given([])
        .when(request({ application: application(['write']), scopes: ['oauth-app:write'] }))
        .then([requested({ scopes: ['oauth-app:write'] })]));

    it('lets an application with `all` ask for anything, broad or named', () =>
      atRequest
        .given([])
        .when(request({ application: application(['all']), scopes: ['read', 'write', 'profile:write'] }))
        .then([requested({ scopes: ['read', 'write', 'profile:write'] })]));

    it('refuses `read` to an application that has only `profile:read`', () =>
      atRequest.given([]).when(request({ scopes: ['read'] })).thenRejects(ErrorCodes.oauthInvalidScope));

    it('refuses `oauth-app:write` to an application that has only `profile:read`', () =>
      atRequest.given([]).when(request({ scopes: ['oauth-app:write'] })).thenRejects(ErrorCodes.oauthInvalidScope));

    it('refuses the whole request when a single scope is beyond the application', () =>
      atRequest.given([]).when(request({ scopes: ['profile:read', 'profile:write'] })).thenRejects(ErrorCodes.oauthInvalidScope));

    it('refuses a `:read` scope to an application with only `write` (write does not imply read)', () =>
      atRequest
        .given([])
        .when(request({ application: application(['write']), scopes: ['profile:read'] }))
        .thenRejects(ErrorCodes.oauthInvalidScope));

    it('refuses `all` to an application with `read` and `write`', () =>
      atRequest
        .given([])
        .when(request({ application: application(['read', 'write']), scopes: ['all'] }))
        .thenRejects(ErrorCodes.oauthInvalidScope));

    it('in the standards dialect, also issues the code bound to the redirect URI and PKCE challenge', () =>
      atRequest
        .given([])
        .when(request({ redirectUri: 'https://app.example/cb', codeChallenge: 'cc-1', codeHash: 'ch-1' }))
        .then([requested({ redirectUri: 'https://app.example/cb', codeChallenge: 'cc-1' }), codeIssued(requestedAt)]));

    it('refuses a grant id that is already in use', () =>
      atRequest.given([requested()]).when(request()).thenRejects(ErrorCodes.commandConcurrencyConflict));

    it('claims the nonce once per application', () => {
      const [event] = decide(request(), initialState(), { now: requestedAt });
      expect(grantAggregate.claimsFor?.(event)).toEqual([{ scope: 'oauth.nonce', value: 'app-1:nh-1', rejectionReason: ErrorCodes.oauthNonceUsed }]);
    });

    it('claims nothing for the other events', () => {
      for (const event of [codeIssued(), accessIssued(1), refreshIssued(1), revoked('revoked-by-client')]) {
        expect(grantAggregate.claimsFor?.(event)).toEqual([]);
      }
    });
  });

  describe('IssueAuthorizationCode', () => {
    it('issues the code to the client that presents the nonce', () => spec.given([requested()]).when(issue()).then([codeIssued()]));

    it('issues the code up to the last moment of its 60 s', () =>
      at(lastValidMoment).given([requested()]).when(issue()).then([codeIssued(lastValidMoment)]));

    it('refuses another client', () =>
      spec.given([requested()]).when(issue({ clientId: 'client-2' })).thenRejects(ErrorCodes.oauthApplicationNotFound));

    it('refuses an unknown grant', () => spec.given([]).when(issue()).thenRejects(ErrorCodes.oauthApplicationNotFound));

    it('refuses a wrong nonce', () => spec.given([requested()]).when(issue({ nonceHash: 'nh-wrong' })).thenRejects(ErrorCodes.oauthInvalidNonce));

    it('burns nothing on a wrong nonce: the right nonce still retrieves the code afterwards', () => {
      const history = [requested()];
      const state = history.reduce(evolve, initialState());
      let rejection: unknown;
      try {
        decide(issue({ nonceHash: 'nh-wrong' }), state, { now });
      } catch (error) {
        rejection = error;
      }
      expect(rejection).toMatchObject({ reason: ErrorCodes.oauthInvalidNonce });
      // a refusal records nothing, so the history the next attempt is decided on is unchanged
      expect(decide(issue(), state, { now })).toEqual([codeIssued()]);
      spec.given(history).when(issue()).then([codeIssued()]);
    });

    it('refuses a second retrieval', () =>
      spec.given([requested(), codeIssued()]).when(issue({ codeHash: 'ch-2' })).thenRejects(ErrorCodes.oauthAlreadyRetrieved));

    it('refuses retrieval of a code already issued with the request (standards dialect)', () =>
      spec.given([requested(), codeIssued(requestedAt)]).when(issue()).thenRejects(ErrorCodes.oauthAlreadyRetrieved));

    it('refuses retrieval after 60 s', () => at(codeExpiresAt).given([requested()]).when(issue()).thenRejects(ErrorCodes.oauthInvalidGrant));
  });

  describe('RedeemAuthorizationCode', () => {
    it('redeems the code for an access token and a refresh token carrying the grant scopes', () =>
      spec.given([requested(), codeIssued()]).when(redeem()).then([accessIssued(1), refreshIssued(1)]));

    it('issues the scopes of the grant, not of the application', () =>
      spec
        .given([requested({ scopes: ['profile:read', 'data-token:read'] }), codeIssued()])
        .when(redeem())
        .then([accessIssued(1, 'authorization_code', now, ['profile:read', 'data-token:read']), refreshIssued(1)]));

    it('issues no refresh token when the command carries none', () =>
      spec.given([requested(), codeIssued()]).when(redeem({ tokens: tokens(1, false) })).then([accessIssued(1)]));

    it('redeems up to the last moment of the code lifetime', () =>
      at(lastValidMoment)
        .given([requested(), codeIssued()])
        .when(redeem({ tokens: tokens(1, true, lastValidMoment) }))
        .then([accessIssued(1, 'authorization_code', lastValidMoment), refreshIssued(1, lastValidMoment)]));

    it('refuses a wrong code', () => spec.given([requested(), codeIssued()]).when(redeem({ codeHash: 'ch-wrong' })).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses another client', () =>
      spec.given([requested(), codeIssued()]).when(redeem({ clientId: 'client-2' })).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses a code that was never issued', () => spec.given([requested()]).when(redeem()).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses an unknown grant', () => spec.given([]).when(redeem()).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses an expired code', () =>
      at(codeExpiresAt).given([requested(), codeIssued()]).when(redeem()).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('treats a replay of a redeemed code as an attack and revokes the grant', () =>
      spec
        .given(redeemed)
        .when(redeem({ tokens: tokens(9) }))
        .then([{ type: 'AuthorizationCodeReplayed', ...facts, detectedAt: now }, revoked('code-replayed')]));

    it('detects the replay even after the code lifetime', () =>
      at(oneHourLater)
        .given(redeemed)
        .when(redeem({ tokens: tokens(9) }))
        .then([{ type: 'AuthorizationCodeReplayed', ...facts, detectedAt: oneHourLater }, revoked('code-replayed', oneHourLater)]));

    it('reports a replay to the caller as invalid_grant', () => {
      const command = redeem({ tokens: tokens(9) });
      const events = decide(command, redeemed.reduce(evolve, initialState()), { now });
      expect(grantAggregate.resultFor?.(command, events)).toEqual({ grantId: 'g-1', refused: ErrorCodes.oauthInvalidGrant });
    });

    it('reports a successful redemption without refusal', () => {
      const command = redeem();
      const events = decide(command, [requested(), codeIssued()].reduce(evolve, initialState()), { now });
      expect(grantAggregate.resultFor?.(command, events)).toEqual({ grantId: 'g-1', scopes: ['profile:read'] });
    });

    it('refuses the code after the grant is revoked', () =>
      spec.given([...redeemed, revoked('code-replayed')]).when(redeem()).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses a never-redeemed code once the grant is revoked', () =>
      spec.given([requested(), codeIssued(), revoked('application-revoked')]).when(redeem()).thenRejects(ErrorCodes.oauthInvalidGrant));

    describe('bound to a redirect URI and a PKCE challenge', () => {
      const bound: GrantEvent[] = [requested({ redirectUri: 'https://app.example/cb', codeChallenge: 'cc-1' }), codeIssued(requestedAt)];
      const boundRedeem = (overrides: Partial<RedeemAuthorizationCode> = {}) =>
        redeem({ redirectUri: 'https://app.example/cb', codeVerifierChallenge: 'cc-1', ...overrides });

      it('redeems when both match', () => spec.given(bound).when(boundRedeem()).then([accessIssued(1), refreshIssued(1)]));

      it('refuses another redirect URI', () =>
        spec.given(bound).when(boundRedeem({ redirectUri: 'https://evil.example/cb' })).thenRejects(ErrorCodes.oauthInvalidGrant));

      it('refuses a missing redirect URI', () =>
        spec.given(bound).when(boundRedeem({ redirectUri: undefined })).thenRejects(ErrorCodes.oauthInvalidGrant));

      it('refuses a verifier that does not match the challenge', () =>
        spec.given(bound).when(boundRedeem({ codeVerifierChallenge: 'cc-wrong' })).thenRejects(ErrorCodes.oauthInvalidGrant));

      it('refuses a missing verifier', () =>
        spec.given(bound).when(boundRedeem({ codeVerifierChallenge: undefined })).thenRejects(ErrorCodes.oauthInvalidGrant));

      it('does not check a redirect URI the request did not carry', () =>
        spec
          .given([requested(), codeIssued()])
          .when(redeem({ redirectUri: 'https://anything.example/cb' }))
          .then([accessIssued(1), refreshIssued(1)]));

      it('refuses a verifier for a code issued without a challenge (PKCE downgrade)', () =>
        spec.given([requested(), codeIssued()]).when(redeem({ codeVerifierChallenge: 'anything' })).thenRejects('invalid_grant'));
    });
  });

  describe('RefreshAccessToken', () => {
    const later = at(oneHourLater);

    it('rotates: a new access token and a new refresh token with the grant scopes', () =>
      later
        .given(redeemed)
        .when(refresh('rh-1', 2))
        .then([accessIssued(2, 'refresh_token', oneHourLater), refreshIssued(2, oneHourLater)]));

    it('accepts the current refresh token after a rotation', () =>
      at(twoHoursLater)
        .given(rotated)
        .when(refresh('rh-2', 3, {}, twoHoursLater))
        .then([accessIssued(3, 'refresh_token', twoHoursLater), refreshIssued(3, twoHoursLater)]));

    it('treats the rotated refresh token presented again as theft and revokes the grant', () =>
      at(twoHoursLater)
        .given(rotated)
        .when(refresh('rh-1', 3, {}, twoHoursLater))
        .then([
          { type: 'RefreshTokenReuseDetected', ...facts, refreshTokenHash: 'rh-1', detectedAt: twoHoursLater },
          revoked('refresh-token-reused', twoHoursLater),
        ]));

    it('reports a refresh token reuse to the caller as invalid_grant', () => {
      const command = refresh('rh-1', 3, {}, twoHoursLater);
      const events = decide(command, rotated.reduce(evolve, initialState()), { now: twoHoursLater });
      expect(grantAggregate.resultFor?.(command, events)).toEqual({ grantId: 'g-1', refused: ErrorCodes.oauthInvalidGrant });
    });

    it('refuses even the current refresh token once reuse revoked the grant', () =>
      at(twoHoursLater)
        .given([...rotated, { type: 'RefreshTokenReuseDetected', ...facts, refreshTokenHash: 'rh-1', detectedAt: twoHoursLater }, revoked('refresh-token-reused', twoHoursLater)])
        .when(refresh('rh-2', 3, {}, twoHoursLater))
        .thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses an unknown refresh token', () => later.given(redeemed).when(refresh('rh-unknown', 2)).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses an expired refresh token', () =>
      at(afterRefreshExpiry).given(redeemed).when(refresh('rh-1', 2, {}, afterRefreshExpiry)).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses a refresh token exactly at its expiry', () =>
      at(refreshExpiresAt).given(redeemed).when(refresh('rh-1', 2, {}, refreshExpiresAt)).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses any refresh after revocation', () =>
      later.given([...redeemed, revoked('revoked-by-client')]).when(refresh('rh-1', 2)).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses a retired refresh token after revocation without revoking again', () =>
      at(twoHoursLater).given([...rotated, revoked('revoked-by-client')]).when(refresh('rh-1', 3)).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses another client', () =>
      later.given(redeemed).when(refresh('rh-1', 2, { clientId: 'client-2' })).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses an unknown grant', () => later.given([]).when(refresh('rh-1', 2)).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses a grant whose code was not redeemed yet', () =>
      later.given([requested(), codeIssued()]).when(refresh('rh-1', 2)).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('refuses a grant that never had a refresh token', () =>
      later.given([requested(), codeIssued(), accessIssued(1)]).when(refresh('rh-1', 2)).thenRejects(ErrorCodes.oauthInvalidGrant));

    describe('with a scope (RFC 6749 §6)', () => {
      const both = ['profile:read', 'oauth-app:read'];
      const grantedBoth: GrantEvent[] = [requested({ scopes: both }), codeIssued(), accessIssued(1, 'authorization_code', now, both), refreshIssued(1)];
      const grantedRead: GrantEvent[] = [requested({ scopes: ['read'] }), codeIssued(), accessIssued(1, 'authorization_code', now, ['read']), refreshIssued(1)];
      /** grantedBoth after a refresh narrowed to profile:read: refresh token 2 is current. */
      const narrowed: GrantEvent[] = [...grantedBoth, accessIssued(2, 'refresh_token', oneHourLater, ['profile:read']), refreshIssued(2, oneHourLater)];

      it('narrows the new access token to a part of the granted scopes and still rotates the refresh token', () =>
        later
          .given(grantedBoth)
          .when(refresh('rh-1', 2, { scopes: ['profile:read'] }))
          .then([accessIssued(2, 'refresh_token', oneHourLater, ['profile:read']), refreshIssued(2, oneHourLater)]));

      it('keeps the granted scopes when the scope is empty', () =>
        later
          .given(grantedBoth)
          .when(refresh('rh-1', 2, { scopes: [] }))
          .then([accessIssued(2, 'refresh_token', oneHourLater, both), refreshIssued(2, oneHourLater)]));

      it('accepts exactly the granted scopes, each once', () =>
        later
          .given(grantedBoth)
          .when(refresh('rh-1', 2, { scopes: ['oauth-app:read', 'profile:read', 'oauth-app:read'] }))
          .then([accessIssued(2, 'refresh_token', oneHourLater, ['oauth-app:read', 'profile:read']), refreshIssued(2, oneHourLater)]));

      it('accepts a named scope that a broad granted scope covers', () =>
        later
          .given(grantedRead)
          .when(refresh('rh-1', 2, { scopes: ['profile:read'] }))
          .then([accessIssued(2, 'refresh_token', oneHourLater, ['profile:read']), refreshIssued(2, oneHourLater)]));

      it('refuses a scope that was not granted', () =>
        later.given(grantedBoth).when(refresh('rh-1', 2, { scopes: ['oauth-app:write'] })).thenRejects(ErrorCodes.oauthInvalidScope));

      it('refuses a wider scope even when it includes the granted ones', () =>
        later.given(grantedBoth).when(refresh('rh-1', 2, { scopes: [...both, 'data-token:read'] })).thenRejects(ErrorCodes.oauthInvalidScope));

      it('refuses a broad scope over a named granted one', () =>
        later.given(redeemed).when(refresh('rh-1', 2, { scopes: ['read'] })).thenRejects(ErrorCodes.oauthInvalidScope));

      it('refuses an unknown scope', () =>
        later.given(redeemed).when(refresh('rh-1', 2, { scopes: ['profile:read', 'nonsense'] })).thenRejects(ErrorCodes.oauthInvalidScope));

      it('leaves the grant as granted: the rotated refresh token, without a scope, gets every granted scope again', () =>
        at(twoHoursLater)
          .given(narrowed)
          .when(refresh('rh-2', 3, {}, twoHoursLater))
          .then([accessIssued(3, 'refresh_token', twoHoursLater, both), refreshIssued(3, twoHoursLater)]));

      it('leaves the grant as granted: the rotated refresh token may ask for the other granted scope', () =>
        at(twoHoursLater)
          .given(narrowed)
          .when(refresh('rh-2', 3, { scopes: ['oauth-app:read'] }, twoHoursLater))
          .then([accessIssued(3, 'refresh_token', twoHoursLater, ['oauth-app:read']), refreshIssued(3, twoHoursLater)]));

      it('checks the refresh token before the scope: a reused token revokes the grant whatever scope it asks for', () =>
        at(twoHoursLater)
          .given(narrowed)
          .when(refresh('rh-1', 3, { scopes: ['oauth-app:write'] }, twoHoursLater))
          .then([
            { type: 'RefreshTokenReuseDetected', ...facts, refreshTokenHash: 'rh-1', detectedAt: twoHoursLater },
            revoked('refresh-token-reused', twoHoursLater),
          ]));

      it('tells the caller the scopes of the access token it issued', () => {
        const command = refresh('rh-1', 2, { scopes: ['profile:read'] });
        const events = decide(command, grantedBoth.reduce(evolve, initialState()), { now: oneHourLater });
        expect(grantAggregate.resultFor?.(command, events)).toEqual({ grantId: 'g-1', scopes: ['profile:read'] });
      });
    });
  });

  describe('IssueClientCredentialsToken', () => {
    it('issues an access token to the application itself, with no profile and no refresh token', () =>
      spec
        .given([])
        .when(clientCredentials(['oauth-app:read', 'data-token:read'], ['data-token:read']))
        .then([accessIssued(1, 'client_credentials', now, ['data-token:read'], machineFacts)]));

    it('grants every application scope when none is asked for', () =>
      spec
        .given([])
        .when(clientCredentials(['oauth-app:read', 'data-token:read'], []))
        .then([accessIssued(1, 'client_credentials', now, ['oauth-app:read', 'data-token:read'], machineFacts)]));

    it('follows the broad-scope rules', () =>
      spec
        .given([])
        .when(clientCredentials(['read'], ['profile:read', 'oauth-app:read']))
        .then([accessIssued(1, 'client_credentials', now, ['profile:read', 'oauth-app:read'], machineFacts)]));

    it('issues a refresh token only when the command carries one', () =>
      spec
        .given([])
        .when(clientCredentials(['read'], ['profile:read'], true))
        .then([accessIssued(1, 'client_credentials', now, ['profile:read'], machineFacts), refreshIssued(1, now, machineFacts)]));

    it('refuses a scope beyond the application', () =>
      spec.given([]).when(clientCredentials(['profile:read'], ['read'])).thenRejects(ErrorCodes.oauthInvalidScope));

    it('refuses a named scope of another area', () =>
      spec.given([]).when(clientCredentials(['profile:read'], ['oauth-app:write'])).thenRejects(ErrorCodes.oauthInvalidScope));

    it('refuses a grant id that is already in use', () =>
      spec
        .given([accessIssued(1, 'client_credentials', now, ['profile:read'], machineFacts)])
        .when(clientCredentials(['read'], ['profile:read']))
        .thenRejects(ErrorCodes.commandConcurrencyConflict));

    it('cannot be refreshed or redeemed like a code grant', () => {
      const issued = [accessIssued(1, 'client_credentials', now, ['profile:read'], machineFacts)];
      at(oneHourLater).given(issued).when(refresh('rh-1', 2)).thenRejects(ErrorCodes.oauthInvalidGrant);
      spec.given(issued).when(redeem()).thenRejects(ErrorCodes.oauthInvalidGrant);
    });

    it('is revocable', () =>
      spec
        .given([accessIssued(1, 'client_credentials', now, ['profile:read'], machineFacts)])
        .when({ type: 'RevokeGrant', grantId: 'g-1', reason: 'application-revoked' })
        .then([revoked('application-revoked', now, machineFacts)]));
  });

  describe('RevokeGrant', () => {
    it('revokes an active grant with the reason given', () =>
      spec.given(redeemed).when({ type: 'RevokeGrant', grantId: 'g-1', reason: 'revoked-by-client' }).then([revoked('revoked-by-client')]));

    it('revokes a grant whose code is still pending', () =>
      spec.given([requested()]).when({ type: 'RevokeGrant', grantId: 'g-1', reason: 'application-revoked' }).then([revoked('application-revoked')]));

    it('is idempotent: revoking a revoked grant records nothing', () =>
      spec
        .given([...redeemed, revoked('revoked-by-client')])
        .when({ type: 'RevokeGrant', grantId: 'g-1', reason: 'application-revoked' })
        .then([]));

    it('refuses an unknown grant', () =>
      spec.given([]).when({ type: 'RevokeGrant', grantId: 'g-1', reason: 'revoked-by-client' }).thenRejects(ErrorCodes.oauthInvalidGrant));

    it('reports a plain revocation without refusal', () => {
      const command = { type: 'RevokeGrant' as const, grantId: 'g-1', reason: 'revoked-by-client' as const };
      expect(grantAggregate.resultFor?.(command, [revoked('revoked-by-client')])).toEqual({ grantId: 'g-1' });
    });
  });

  describe('RevokeGrantByResourceOwner', () => {
    const byOwner = (profileId = 'p-1') => ({ type: 'RevokeGrantByResourceOwner' as const, grantId: 'g-1', profileId });

    it('revokes the grant when its resource owner asks', () =>
      spec.given(redeemed).when(byOwner()).then([revoked('revoked-by-resource-owner')]));

    it('revokes a grant whose code was not redeemed yet', () =>
      spec.given([requested(), codeIssued()]).when(byOwner()).then([revoked('revoked-by-resource-owner')]));

    it('tells another profile the grant does not exist', () =>
      spec.given(redeemed).when(byOwner('p-2')).thenRejects(ErrorCodes.oauthGrantNotFound));

    it('refuses an unknown grant the same way', () => spec.given([]).when(byOwner()).thenRejects(ErrorCodes.oauthGrantNotFound));

    it('refuses a client_credentials grant: it has no resource owner', () =>
      spec.given([accessIssued(1, 'client_credentials', now, ['read'], machineFacts)]).when(byOwner()).thenRejects(ErrorCodes.oauthGrantNotFound));

    it('is idempotent: a grant already revoked for any reason records nothing', () =>
      spec.given([...redeemed, revoked('refresh-token-reused')]).when(byOwner()).then([]));

    it('refuses a refresh once the resource owner revoked the grant', () =>
      spec.given([...redeemed, revoked('revoked-by-resource-owner')]).when(refresh('rh-1', 2)).thenRejects(ErrorCodes.oauthInvalidGrant));
  });

  describe('evolve', () => {
    it('retires the previous refresh token when a new one is issued', () => {
      const state = rotated.reduce(evolve, initialState());
      expect(state).toMatchObject({ status: 'active', codeRedeemed: true, refreshTokenHash: 'rh-2', retiredRefreshTokenHashes: ['rh-1'] });
    });

    it('keeps a revoked grant revoked', () => {
      expect([...redeemed, revoked('revoked-by-client')].reduce(evolve, initialState())).toMatchObject({ status: 'revoked' });
    });
  });

  describe('refusals added with the review', () => {
    it('refuses a scope outside the catalogue even where a broad scope would cover it', () =>
      atRequest.given([]).when(request({ application: application(['read']), scopes: ['foo:read'] })).thenRejects('oauth.invalid_scope'));

    it('refuses to issue the code of a grant revoked before it was retrieved', () =>
      spec.given([requested(), revoked('revoked-by-client')]).when(issue()).thenRejects('invalid_grant'));
  });
});

