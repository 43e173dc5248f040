import { apiHeaders, helmetHeaders, helmetOptions, PAGE_HEADERS } from './security-headers';

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

describe('helmetHeaders', () => {
  it('computes the headers helmet would set, once, from the options', () => {
    const http = helmetHeaders(helmetOptions('http://127.0.0.1:3000'));
    expect(http['x-content-type-options']).toBe('nosniff');
    expect(http['x-frame-options']).toBe('DENY');
    expect(http['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(http).not.toHaveProperty('strict-transport-security');
    expect(http).not.toHaveProperty('cross-origin-opener-policy');
    const https = helmetHeaders(helmetOptions('https://auth.example'));
    expect(https['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(https['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});

describe('apiHeaders', () => {
  it('keeps a JSON answer unstored, unsniffed, unframed and unrendered, with HSTS only behind https', () => {
    const http = apiHeaders('http://127.0.0.1:3000');
    expect(http).toMatchObject({ 'cache-control': 'no-store', pragma: 'no-cache', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
    expect(http['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(http).not.toHaveProperty('strict-transport-security');
    expect(apiHeaders('https://auth.example')['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('leaves to pages only what a rendered page needs, and every helmet header is in one set or the other', () => {
    const api = apiHeaders('http://localhost');
    expect(PAGE_HEADERS).not.toHaveProperty('content-security-policy');
    for (const name of Object.keys(PAGE_HEADERS)) expect(api).not.toHaveProperty(name);
    const helmet = helmetHeaders(helmetOptions('http://localhost'));
    for (const name of Object.keys(helmet)) expect([name, name in api || name in PAGE_HEADERS]).toEqual([name, true]);
    expect(PAGE_HEADERS).toHaveProperty('x-permitted-cross-domain-policies');
  });
});
