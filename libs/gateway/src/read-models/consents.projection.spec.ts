import type { GrantEvent } from '@platform/contracts';
import { evolveConsent } from './consents.projection';

const facts = { grantId: 'g-1', applicationId: 'app-1', clientId: 'client-1', profileId: 'p-1' };
const requested = (scopes: string[], requestedAt = '2026-02-21T15:33:44.000Z', grantId = 'g-1'): GrantEvent => ({
  type: 'AuthorizationCodeRequested',
  ...facts,
  grantId,
  nonceHash: 'nh',
  scopes,
  requestedAt,
  codeExpiresAt: requestedAt,
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 3600,
  redirectUri: null,
  codeChallenge: null,
});
const revoked = (reason: Extract<GrantEvent, { type: 'GrantRevoked' }>['reason']): GrantEvent => ({ type: 'GrantRevoked', ...facts, reason, revokedAt: '2026-02-21T16:00:00.000Z' });

describe('consents read model', () => {
  it('remembers the scopes of a code requested for the profile', () => {
    expect(evolveConsent(undefined, requested(['profile:read']))).toEqual({ profileId: 'p-1', applicationId: 'app-1', scopes: ['profile:read'], grantedAt: '2026-02-21T15:33:44.000Z' });
  });

  it('adds the scopes of a later grant and keeps the first consent time', () => {
    const first = evolveConsent(undefined, requested(['profile:read']));
    expect(evolveConsent(first, requested(['oauth-app:read', 'profile:read'], '2026-02-22T00:00:00.000Z', 'g-2'))).toEqual({
      profileId: 'p-1',
      applicationId: 'app-1',
      scopes: ['profile:read', 'oauth-app:read'],
      grantedAt: '2026-02-21T15:33:44.000Z',
    });
  });

  it('forgets the consent when the resource owner revokes a grant', () => {
    expect(evolveConsent(evolveConsent(undefined, requested(['read'])), revoked('revoked-by-resource-owner'))).toBeUndefined();
  });

  it('keeps the consent when the client revokes its own tokens or a refresh token is reused', () => {
    const consent = evolveConsent(undefined, requested(['read']));
    expect(evolveConsent(consent, revoked('revoked-by-client'))).toBe(consent);
    expect(evolveConsent(consent, revoked('refresh-token-reused'))).toBe(consent);
  });

  it('ignores client_credentials grants: no resource owner consented', () => {
    expect(evolveConsent(undefined, { ...requested(['read']), profileId: null })).toBeUndefined();
  });
});
