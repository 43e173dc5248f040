import type { GrantRow } from '../../read-models/grants.projection';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';
import { visibleTo } from './introspect-token.query';

const grant = { grantId: 'g-1', applicationId: 'app-1', clientId: 'client-1', profileId: 'p-9' } as GrantRow;
const client = (clientId: string, profileId: string) => ({ clientId, profileId }) as OAuthApplicationRow;

describe('introspect-token visibility', () => {
  it('a client sees its own tokens', () => {
    expect(visibleTo(client('client-1', 'owner-1'), grant, undefined)).toBe(true);
  });

  it('another application of the same owner sees them too', () => {
    expect(visibleTo(client('client-2', 'owner-1'), grant, 'owner-1')).toBe(true);
  });

  it('another owner’s application, or one whose owner is unknown, sees an inactive token', () => {
    expect(visibleTo(client('client-2', 'owner-2'), grant, 'owner-1')).toBe(false);
    expect(visibleTo(client('client-2', 'owner-2'), grant, undefined)).toBe(false);
  });

  it('the holder asking without client credentials (Privicore scope route) sees its token', () => {
    expect(visibleTo(undefined, grant, undefined)).toBe(true);
  });
});
