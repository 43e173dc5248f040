import type { FastifyRequest } from 'fastify';
import { authorizationCredentials, usesAuthorizationScheme } from './authorization-header';

const withAuthorization = (authorization?: string) => ({ headers: { authorization } }) as FastifyRequest;

describe('Authorization header', () => {
  it('reads the scheme name case-insensitively', () => {
    for (const scheme of ['Basic', 'basic', 'BASIC', 'bAsIc']) expect(authorizationCredentials(withAuthorization(`${scheme} YTpi`), 'basic')).toBe('YTpi');
    expect(authorizationCredentials(withAuthorization('bearer  abc.def '), 'bearer')).toBe('abc.def');
  });

  it('answers nothing for another scheme, no credentials or no header', () => {
    expect(authorizationCredentials(withAuthorization('Bearer abc'), 'basic')).toBeUndefined();
    expect(authorizationCredentials(withAuthorization('Basic'), 'basic')).toBeUndefined();
    expect(authorizationCredentials(withAuthorization('Basic '), 'basic')).toBeUndefined();
    expect(authorizationCredentials(withAuthorization('BasicYTpi'), 'basic')).toBeUndefined();
    expect(authorizationCredentials(withAuthorization(), 'bearer')).toBeUndefined();
  });

  it('tells which scheme a request uses even without credentials', () => {
    expect(usesAuthorizationScheme(withAuthorization('BASIC'), 'basic')).toBe(true);
    expect(usesAuthorizationScheme(withAuthorization('Basic x'), 'bearer')).toBe(false);
    expect(usesAuthorizationScheme(withAuthorization(), 'basic')).toBe(false);
    expect(usesAuthorizationScheme(withAuthorization('  basic\tx'), 'basic')).toBe(true);
    expect(usesAuthorizationScheme(withAuthorization('BasicYTpi'), 'basic')).toBe(false);
  });
});
