import { scopeSatisfies, scopesWithin } from './scopes';

describe('scopesWithin: a token narrowed to its application’s current scopes', () => {
  it('keeps what the application still has', () => {
    expect(scopesWithin(['profile:read', 'oauth-app:read'], ['profile:read', 'oauth-app:read', 'oauth-app:write'])).toEqual(['profile:read', 'oauth-app:read']);
  });

  it('drops what the application lost', () => {
    expect(scopesWithin(['profile:read', 'oauth-app:read'], ['profile:read'])).toEqual(['profile:read']);
    expect(scopesWithin(['oauth-app:write'], ['profile:read'])).toEqual([]);
  });

  it('keeps a named scope the application still covers with a broad one', () => {
    expect(scopesWithin(['oauth-app:read'], ['read'])).toEqual(['oauth-app:read']);
  });

  it('replaces a broad scope the application lost by the narrower ones it kept', () => {
    expect(scopesWithin(['read', 'write'], ['profile:read', 'oauth-app:write'])).toEqual(['profile:read', 'oauth-app:write']);
    expect(scopesWithin(['all'], ['read'])).toEqual(['read']);
    expect(scopesWithin(['read'], ['write'])).toEqual([]);
  });

  it('never grants more than the token had', () => {
    const narrowed = scopesWithin(['profile:read'], ['all']);
    expect(narrowed).toEqual(['profile:read']);
    expect(scopeSatisfies(narrowed, 'oauth-app:read')).toBe(false);
  });
});
