import type { OAuthApplicationEvent } from '@platform/contracts';
import { evolveOAuthApplication, type OAuthApplicationRow } from './oauth-applications.projection';

const at = '2026-02-21T15:33:44.000Z';
const ids = { applicationId: 'a-1', profileId: 'p-1' };
const events: OAuthApplicationEvent[] = [
  {
    type: 'OAuthApplicationRegistered',
    ...ids,
    name: 'Printer',
    clientId: 'c-1',
    clientType: 'confidential',
    redirectUris: ['https://printer.example/cb'],
    scopes: ['profile:read', 'oauth-app:read'],
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 2_592_000,
    registeredAt: at,
  },
  { type: 'ClientCredentialsRevealed', ...ids, clientSecretHash: 'h1', revealedAt: at },
];
const fold = (more: OAuthApplicationEvent[]) => [...events, ...more].reduce<OAuthApplicationRow | undefined>(evolveOAuthApplication, undefined)!;
const rotated: OAuthApplicationEvent = {
  type: 'ClientSecretRotated',
  ...ids,
  graceSeconds: 3600,
  previousSecretHash: 'h1',
  previousSecretExpiresAt: '2026-02-21T16:33:44.000Z',
  rotatedAt: at,
};

describe('oauth_applications read model', () => {
  it('keeps the previous secret and its expiry after a rotation, the current one made at the next read', () => {
    expect(fold([rotated])).toMatchObject({ clientSecretHash: null, previousSecretHash: 'h1', previousSecretExpiresAt: '2026-02-21T16:33:44.000Z', credentialsRevealed: false });
    expect(fold([rotated, { type: 'ClientCredentialsRevealed', ...ids, clientSecretHash: 'h2', revealedAt: at }])).toMatchObject({
      clientSecretHash: 'h2',
      previousSecretHash: 'h1',
    });
  });

  it('forgets the previous secret when it is retired', () => {
    expect(fold([rotated, { type: 'PreviousClientSecretRetired', ...ids, retiredAt: at }])).toMatchObject({ previousSecretHash: null, previousSecretExpiresAt: null });
  });

  it('applies only the fields an update gave', () => {
    const row = fold([{ type: 'OAuthApplicationUpdated', ...ids, changes: { scopes: ['profile:read'], accessTokenTtlSeconds: 120 }, updatedAt: at }]);
    expect(row).toMatchObject({ name: 'Printer', redirectUris: ['https://printer.example/cb'], scopes: ['profile:read'], accessTokenTtlSeconds: 120, refreshTokenTtlSeconds: 2_592_000 });
  });
});
