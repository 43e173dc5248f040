import { helmetOptions } from './security-headers';

describe('security headers', () => {
  it('sends HSTS and upgrades insecure requests only behind an https issuer', () => {
    const https = helmetOptions('https://auth.example');
    expect(https.hsts).toMatchObject({ maxAge: 31_536_000 });
    expect(https.contentSecurityPolicy).toMatchObject({ directives: { upgradeInsecureRequests: [] } });
    const http = helmetOptions('http://127.0.0.1:3000');
    expect(http.hsts).toBe(false);
    expect((http.contentSecurityPolicy as { directives: Record<string, unknown> }).directives).not.toHaveProperty('upgradeInsecureRequests');
  });

  it('forbids framing', () => {
    const options = helmetOptions('http://localhost');
    expect(options.frameguard).toEqual({ action: 'deny' });
    expect(options.contentSecurityPolicy).toMatchObject({ directives: { frameAncestors: ["'none'"] } });
  });
});
