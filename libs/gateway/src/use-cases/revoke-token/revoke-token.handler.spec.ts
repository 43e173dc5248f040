import type { LocatedToken } from '../../oauth/token-locator';
import type { GrantRow } from '../../read-models/grants.projection';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';
import { revocable } from './revoke-token.command';

const client = { applicationId: 'app-1', clientId: 'client-1', profileId: 'owner-1' } as OAuthApplicationRow;
const located = (grant: Partial<GrantRow>, active = true): LocatedToken => ({
  grant: { grantId: 'g-1', clientId: 'client-1', status: 'active', ...grant } as GrantRow,
  kind: 'refresh_token',
  active,
  scopes: [],
  subject: 'p-1',
  expiresAt: 0,
});

describe('revoke-token', () => {
  it('a client revokes its own token’s grant, even an expired token', () => {
    expect(revocable(located({}), client)).toBe(true);
    expect(revocable(located({}, false), client)).toBe(true);
  });

  it('an unknown token, another client’s, or a grant already revoked changes nothing', () => {
    expect(revocable(undefined, client)).toBe(false);
    expect(revocable(located({ clientId: 'client-2' }), client)).toBe(false);
    expect(revocable(located({ status: 'revoked' }), client)).toBe(false);
  });
});
