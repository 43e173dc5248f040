import { ACCESS_TOKEN_TTL, newClientId, REFRESH_TOKEN_TTL, registerOAuthApplication } from './register-application.command';

const ids = { applicationId: 'app-1', clientId: 'client-1' };

describe('register-application: the contract command', () => {
  it('defaults to a confidential client with the longest lifetimes', () => {
    const command = registerOAuthApplication(ids, 'profile-1', { name: 'Printer', redirectUris: ['https://a.example/cb'], scopes: ['read'] });
    expect(command).toEqual({
      type: 'RegisterOAuthApplication',
      applicationId: 'app-1',
      profileId: 'profile-1',
      name: 'Printer',
      clientId: 'client-1',
      clientType: 'confidential',
      redirectUris: ['https://a.example/cb'],
      scopes: ['read'],
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL.default,
      refreshTokenTtlSeconds: REFRESH_TOKEN_TTL.default,
    });
  });

  it('keeps the asked client type and lifetimes, and each redirect URI once in the order given', () => {
    const command = registerOAuthApplication(ids, 'profile-1', {
      name: 'Phone',
      clientType: 'public',
      redirectUris: ['https://b.example/cb', 'https://a.example/cb', 'https://b.example/cb'],
      scopes: ['profile:read'],
      accessTokenTtlSeconds: 60,
      refreshTokenTtlSeconds: 3600,
    });
    expect(command).toMatchObject({ clientType: 'public', redirectUris: ['https://b.example/cb', 'https://a.example/cb'], accessTokenTtlSeconds: 60, refreshTokenTtlSeconds: 3600 });
  });

  it('the seed API registration: no redirect URI yet', () => {
    expect(registerOAuthApplication(ids, 'p', { name: 'Seed', clientType: 'confidential', redirectUris: [], scopes: ['read', 'write'] }).redirectUris).toEqual([]);
  });

  it('client ids are 32 URL-safe characters and never repeat', () => {
    const clientIds = new Set(Array.from({ length: 100 }, newClientId));
    expect(clientIds.size).toBe(100);
    for (const clientId of clientIds) expect(clientId).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});
