import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Answer, GatewayClient } from './support/client';
import { registeredApplication, type RegisteredApplication } from './support/oauth-scenarios';
import { freePort, runApp, waitForHealthy } from './support/processes';
import { reachableTempDir } from '@platform/testing';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const nested = (depth: number) => `{"username":${'['.repeat(depth)}${']'.repeat(depth)},"password":"x"}`;
const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

const privicoreError = (answer: Answer, status: number, code?: string) => {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ error: code ?? expect.any(String), message: expect.any(String), ...(answer.body.details ? { details: expect.anything() } : {}) });
};
const oauthError = (answer: Answer, status: number, code: string) => {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ error: code, error_description: expect.any(String) });
};
const envelopeError = (answer: Answer, status: number, code: string) => {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ error: { code, message: expect.any(String), details: expect.any(Object) } });
};

/** Issue 8: nothing a client sends crashes the process or gets a 5xx; every error has its family's shape. */
describe('hardening of the HTTP edge (embedded app)', () => {
  const dataDir = reachableTempDir(join(tmpdir(), 'platform-hardening-'));
  let app: ReturnType<typeof runApp>;
  let client: GatewayClient;
  let registered: RegisteredApplication;
  const profileAuth = () => ({ 'x-dpt-authorization': registered.profileToken });

  beforeAll(async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), ISSUER: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, LOG_LEVEL: 'warn', AUTH_ATTEMPTS_PER_CLIENT: '1000' };
    delete env.DATABASE_URL;
    delete env.KAFKA_BROKERS;
    app = runApp('embedded', env);
    client = new GatewayClient(`http://127.0.0.1:${port}`);
    try {
      await waitForHealthy(client.baseUrl, app.child, 120_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${app.output()}`);
    }
    registered = await registeredApplication(client, 'profile:read,oauth-app:read,oauth-app:write');
  }, 150_000);

  afterEach(async () => {
    expect(app.child.exitCode).toBeNull();
    expect((await client.request('GET', '/health')).status).toBe(200);
  });

  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  describe('1. JSON depth and size', () => {
    it('refuses thousands of nesting levels with 400 in each family, and accepts reasonable depth', async () => {
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: nested(5000) }), 400, 'malformed_body');
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: nested(33) }), 400, 'malformed_body');
      oauthError(await client.request('POST', '/oauth/token', { raw: `{"grant_type":${'['.repeat(10_000)}` }), 400, 'invalid_request');
      envelopeError(await client.request('POST', '/o/apps/', { headers: profileAuth(), raw: `{"name":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}` }), 400, 'validation_error');
      // 30 levels parse; the DTO then refuses the shape, not the parser.
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: nested(30) }), 400, 'validation_error');
    });

    it('refuses bodies over the limit with 413 and prototype poisoning with 400', async () => {
      const big = JSON.stringify({ name: 'x'.repeat(70_000) });
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: big }), 413, 'payload_too_large');
      oauthError(await client.request('POST', '/oauth/token', { raw: big }), 413, 'invalid_request');
      envelopeError(await client.request('POST', '/o/apps/', { headers: profileAuth(), raw: big }), 413, 'payload_too_large');
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: '{"__proto__":{"admin":true}}' }), 400, 'malformed_body');
    });

    it('bounds form bodies: size, parameter count and prototype keys', async () => {
      const form = (body: string) => ({ raw: body, contentType: 'application/x-www-form-urlencoded' });
      privicoreError(await client.request('POST', '/profile/authenticate', form(`username=${'a'.repeat(70_000)}`)), 413, 'payload_too_large');
      privicoreError(await client.request('POST', '/profile/authenticate', form(Array.from({ length: 2000 }, (_, i) => `k${i}=v`).join('&'))), 400, 'malformed_body');
      privicoreError(await client.request('POST', '/profile/authenticate', form('__proto__=a&__proto__=b&username=x')), 400, 'malformed_body');
    });
  });

  describe('2. NUL and ill-formed Unicode never reach PostgreSQL', () => {
    it('refuses NUL in decoded Basic credentials as invalid_client, raw and %00 (RFC 6749 §2.3.1)', async () => {
      for (const authorization of [basic(`${registered.clientId}\u0000`, registered.clientSecret), basic(`${registered.clientId}%00`, 'x%00y'), basic('\u0000', '\u0000')]) {
        const token = await client.request('POST', '/oauth/token', { headers: { authorization }, form: { grant_type: 'client_credentials' } });
        oauthError(token, 401, 'invalid_client');
        expect(token.headers.get('www-authenticate')).toMatch(/^Basic /);
        const code = await client.request('POST', '/oauth-application/retrieve-authorization-code', { headers: { authorization }, form: { id: 'x', nonce: 'y' } });
        privicoreError(code, 401, 'invalid_client');
      }
      const post = await client.request('POST', '/oauth/token', { form: { grant_type: 'client_credentials', client_id: `${registered.clientId}\u0000`, client_secret: 'x' } });
      oauthError(post, 401, 'invalid_client');
    });

    it('refuses NUL and lone surrogates in bodies, queries, path parameters and cookies with 400', async () => {
      const lone = JSON.stringify({ name: 'Printer \ud800', redirectUri: 'https://printer.example/cb', scopes: 'profile:read' });
      privicoreError(await client.request('POST', '/profile/oauth-application-register', { headers: profileAuth(), raw: lone }), 400, 'validation_error');
      privicoreError(await client.request('POST', '/profile/oauth-application-register', { headers: profileAuth(), raw: '{"name":"a","redirectUri":"https://p.example/cb","scopes":"all","\\udc00":1}' }), 400, 'validation_error');
      envelopeError(await client.request('POST', '/o/apps/', { headers: profileAuth(), raw: '{"name":"\\udfff"}' }), 400, 'validation_error');
      oauthError(await client.request('POST', '/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: 'a\u0000b' } }), 400, 'invalid_request');
      oauthError(await client.request('POST', '/oauth/introspect', { raw: '{"token":"\\ud83d"}', headers: { authorization: basic(registered.clientId, registered.clientSecret) } }), 400, 'invalid_request');
      privicoreError(await client.request('GET', `/profile/oauth-application-audit?applicationId=${registered.applicationId}%00`, { headers: profileAuth() }), 400, 'validation_error');
      privicoreError(await client.request('GET', '/request-status/abc%00def'), 400, 'validation_error');
      privicoreError(await client.request('POST', '/profile/authenticate', { form: { username: 'someone\u0000', password: 'whatever-password' } }), 400, 'validation_error');
      privicoreError(await client.request('GET', '/profile/retrieve-profile-id', { headers: { ...profileAuth(), cookie: 'session=a%00b' } }), 400, 'validation_error');
      oauthError(await client.request('POST', '/oauth/authorize/login', { headers: { cookie: 'oauth_authz=%00' }, form: { request_id: 'a', csrf_token: 'b', username: 'c', password: 'd' } }), 400, 'invalid_request');
    });
  });

  describe('3. audit cursors', () => {
    it.each([
      ['a date PostgreSQL cannot hold', cursorOf('-271821-04-20T00:00:00.000Z|1')],
      ['an id beyond bigint', cursorOf('2020-01-01T00:00:00.000Z|99999999999999999999')],
      ['a negative id', cursorOf('2020-01-01T00:00:00.000Z|-1')],
      ['a loosely parsed date', cursorOf('Jan 1 2020|1')],
      ['no separator', cursorOf('garbage')],
      ['not base64url', '!!!'],
    ])('refuses %s with 400 validation_error', async (_, cursor) => {
      const answer = await client.request('GET', `/profile/oauth-application-audit?applicationId=${registered.applicationId}&cursor=${encodeURIComponent(cursor)}`, { headers: profileAuth() });
      privicoreError(answer, 400, 'validation_error');
    });

    it('still pages with the cursors it issues', async () => {
      const first = await client.request('GET', `/profile/oauth-application-audit?applicationId=${registered.applicationId}`, { headers: profileAuth() });
      expect(first.status).toBe(200);
      const valid = cursorOf('2020-01-01T00:00:00.000Z|1');
      expect((await client.request('GET', `/profile/oauth-application-audit?applicationId=${registered.applicationId}&cursor=${valid}`, { headers: profileAuth() })).status).toBe(200);
    });
  });

  describe('4. error shapes per family', () => {
    it('answers invalid JSON and unsupported media types in the family shape', async () => {
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: '{"username":' }), 400, 'malformed_body');
      oauthError(await client.request('POST', '/oauth/token', { raw: '{"grant_type":' }), 400, 'invalid_request');
      envelopeError(await client.request('POST', '/o/apps/', { headers: profileAuth(), raw: '{"name":' }), 400, 'validation_error');
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: 'hello', contentType: 'text/plain' }), 415, 'unsupported_media_type');
      oauthError(await client.request('POST', '/oauth/revoke', { raw: 'hello', contentType: 'text/plain' }), 415, 'invalid_request');
      envelopeError(await client.request('POST', '/o/apps/', { headers: profileAuth(), raw: 'hello', contentType: 'text/plain' }), 415, 'unsupported_media_type');
    });

    it('answers unknown routes with 404 in the family shape, never echoing the query', async () => {
      const secret = 'sekrit-query-value';
      for (const [path, check] of [
        ['/nowhere', (a: Answer) => privicoreError(a, 404, 'not_found')],
        ['/oauth/nowhere', (a: Answer) => oauthError(a, 404, 'invalid_request')],
        ['/o/apps/x/y/z', (a: Answer) => envelopeError(a, 404, 'not_found')],
      ] as const) {
        const answer = await client.request('GET', `${path}?access_token=${secret}`, { headers: profileAuth() });
        check(answer);
        expect(JSON.stringify(answer.body)).not.toContain(secret);
      }
    });

    it('treats application/json with an empty body as a request without a body', async () => {
      const created = await client.request('POST', '/o/apps/', { headers: profileAuth(), json: { name: 'Short-lived' } });
      expect(created.status).toBe(201);
      const deleted = await client.request('DELETE', `/o/apps/${created.body.id}/`, { headers: profileAuth(), raw: '', contentType: 'application/json' });
      expect(deleted.status).toBe(204);
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: '' }), 400, 'validation_error');
    });
  });

  describe('5. headers', () => {
    it('marks credential-bearing answers and errors no-store, public metadata cacheable', async () => {
      const token = await client.request('POST', '/oauth/token', { headers: { authorization: basic(registered.clientId, registered.clientSecret) }, form: { grant_type: 'client_credentials' } });
      const login = await client.request('POST', '/profile/generate-token-qr', { headers: profileAuth() });
      const error = await client.request('POST', '/profile/authenticate', { form: { username: 'nobody-here', password: 'wrong-password-123' } });
      for (const answer of [token, login, error]) {
        expect(answer.headers.get('cache-control')).toBe('no-store');
        expect(answer.headers.get('pragma')).toBe('no-cache');
      }
      const metadata = await client.request('GET', '/.well-known/oauth-authorization-server');
      expect(metadata.headers.get('cache-control')).toMatch(/public/);
    });

    it('answers every 401 of a Bearer route with WWW-Authenticate: Bearer, invalid_token when one was given', async () => {
      const none = await client.request('GET', '/profile/retrieve-profile-id');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
      const bad = await client.request('GET', '/o/apps/', { headers: { authorization: 'Bearer not-a-token' } });
      envelopeError(bad, 401, 'unauthorized');
      expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
      const badProfile = await client.request('GET', '/profile/retrieve-profile-id', { headers: { 'x-dpt-authorization': 'nope' } });
      expect(badProfile.headers.get('www-authenticate')).toMatch(/^Bearer /);
    });

    it('parses the Basic and Bearer scheme names case-insensitively', async () => {
      const token = await client.request<{ access_token: string }>('POST', '/oauth/token', {
        headers: { authorization: basic(registered.clientId, registered.clientSecret).replace('Basic', 'bAsIc') },
        form: { grant_type: 'client_credentials' },
      });
      expect(token.status).toBe(200);
      const introspected = await client.request('POST', '/oauth/introspect', { headers: { authorization: basic(registered.clientId, registered.clientSecret).replace('Basic', 'BASIC') }, form: { token: token.body.access_token } });
      expect(introspected.body).toMatchObject({ active: true });
      // A client_credentials token acts as the application: the Bearer scheme was recognised (403, not 401).
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: { authorization: `bearer ${token.body.access_token}` } })).status).toBe(403);
    });

    it('sends nosniff everywhere, keeps /docs out of frames, no HSTS on an http issuer, and leaves the login page its own CSP', async () => {
      for (const path of ['/health', '/nowhere', '/.well-known/jwks.json', '/docs']) {
        expect((await fetch(`${client.baseUrl}${path}`)).headers.get('x-content-type-options')).toBe('nosniff');
      }
      const docs = await fetch(`${client.baseUrl}/docs`);
      expect(docs.status).toBe(200);
      expect(docs.headers.get('x-frame-options')).toBe('DENY');
      expect(docs.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(docs.headers.get('strict-transport-security')).toBeNull();
      const ui = await docs.text();
      for (const asset of ui.match(/(?:src|href)="[^"]+"/g) ?? []) {
        const url = new URL(asset.replace(/^(src|href)="|"$/g, ''), `${client.baseUrl}/docs`);
        expect((await fetch(url)).status).toBe(200);
      }
      const page = await fetch(`${client.baseUrl}/oauth/authorize?response_type=code&client_id=${registered.clientId}&redirect_uri=${encodeURIComponent('https://printer.example/callback')}&scope=profile:read`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; form-action 'self'/);
    });
  });

  describe('6. security events', () => {
    const events = () =>
      app
        .output()
        .split('\n')
        .filter((line) => line.includes('security.auth_failure'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);

    it('logs each 401 and 403 once as a structured warning without secrets', async () => {
      const before = events().length;
      const password = 'Wrong-password-do-not-log-1';
      await client.request('POST', '/profile/authenticate', { form: { username: 'nobody-here', password } });
      await client.request('GET', '/o/apps/', { headers: { authorization: 'Bearer secret-bearer-do-not-log' } });
      await client.request('POST', '/oauth/token', { headers: { authorization: basic(registered.clientId, 'secret-do-not-log') }, form: { grant_type: 'client_credentials' } });
      const applicationToken = await client.request('POST', '/oauth/token', { headers: { authorization: basic(registered.clientId, registered.clientSecret) }, form: { grant_type: 'client_credentials' } });
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: { authorization: `Bearer ${applicationToken.body.access_token}` } })).status).toBe(403);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const logged = events().slice(before);
      expect(logged).toEqual([
        expect.objectContaining({ event: 'security.auth_failure', status: 401, code: 'profile.invalid_credentials', route: '/profile/authenticate', method: 'POST', clientAddress: expect.any(String), requestId: expect.anything() }),
        expect.objectContaining({ event: 'security.auth_failure', status: 401, code: 'unauthorized', route: expect.stringMatching(/^\/o\/apps\/?$/) }),
        expect.objectContaining({ event: 'security.auth_failure', status: 401, code: 'invalid_client', route: '/oauth/token' }),
        expect.objectContaining({ event: 'security.auth_failure', status: 403, code: 'forbidden', route: '/profile/retrieve-profile-id', method: 'GET' }),
      ]);
      expect(logged.every((line) => line.level === 40)).toBe(true);
      const output = app.output();
      for (const secret of [password, 'secret-bearer-do-not-log', 'secret-do-not-log', Buffer.from(`${registered.clientId}:secret-do-not-log`).toString('base64'), String(applicationToken.body.access_token)]) {
        expect(output).not.toContain(secret);
      }
    });
  });
});
