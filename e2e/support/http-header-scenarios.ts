import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { GatewayClient, randomUsername } from './client';
import { basic, envelopeError, expectAlive } from './hardening';
import { codeFlow, registeredApplication, type RegisteredApplication } from './oauth-scenarios';

const password = 'correct horse battery staple';
const REDIRECT = 'https://printer.example/callback';
const auth = (token: string) => ({ 'x-dpt-authorization': token });

interface Seen {
  what: string;
  status: number;
  headers: Headers;
}
const seen = (what: string, answer: { status: number; headers: Headers }): Seen => ({ what, status: answer.status, headers: answer.headers });

/** One POST whose header line is sent byte for byte (fetch refuses such headers); resolves to the raw answer. */
function rawRequest(baseUrl: string, path: string, headerLine: Buffer): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.end(Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n`), headerLine, Buffer.from('\r\n\r\ntoken=x')]));
    });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** A profile and its application registered through the Privicore routes, keeping every credential-carrying answer. */
async function privicoreCredentialAnswers(client: GatewayClient): Promise<{ answers: Seen[]; app: RegisteredApplication }> {
  const username = randomUsername('nostore');
  await client.waitForCommand((await client.register(username, password)).commandId);
  const authenticated = await client.authenticate(username, password);
  const reauthorized = await client.request('POST', '/profile/reauthorize-authorization-token', { headers: auth(String(authenticated.body.authorizationToken)), form: { ttl: '3600' } });
  const token = String(reauthorized.body.authorizationToken);
  const qr = await client.request('POST', '/profile/generate-token-qr', { headers: auth(token) });
  const redeemed = await client.request('POST', '/profile/redeem-token-qr', { form: { qrToken: String(qr.body.qrToken) } });
  const register = await client.request('POST', '/profile/oauth-application-register', { headers: auth(token), form: { name: 'No-store printer', redirectUri: REDIRECT, scopes: 'profile:read' } });
  const applicationId = String(register.body.commandId);
  await client.waitForCommand(applicationId, token);
  const configuration = await client.request('POST', '/profile/retrieve-oauth-application-configuration', { headers: auth(token), form: { applicationId } });
  const who = await client.request('GET', '/profile/retrieve-profile-id', { headers: auth(token) });
  const app = { profileToken: token, profileId: String(who.body.profileId), applicationId, clientId: String(configuration.body.clientId), clientSecret: String(configuration.body.clientSecret) };
  const flow = await codeFlow(client, app);
  const refreshed = await client.request('POST', '/oauth-application/refresh-access-token', { headers: { authorization: `Basic ${flow.accessToken}` }, form: { refresh_token: flow.refreshToken } });
  const answers = [
    seen('authenticate', authenticated),
    seen('reauthorize', reauthorized),
    seen('generate QR', qr),
    seen('redeem QR', redeemed),
    seen('configuration', configuration),
    seen('retrieve-authorization-code', flow.code),
    seen('obtain-access-token', flow.tokens),
    seen('refresh-access-token', refreshed),
  ];
  for (const answer of answers) expect([answer.what, answer.status]).toEqual([answer.what, 200]);
  return { answers, app };
}

async function standardsCredentialAnswers(client: GatewayClient, app: RegisteredApplication): Promise<Seen[]> {
  const clientAuth = { authorization: basic(app.clientId, app.clientSecret) };
  const query = new URLSearchParams({ response_type: 'code', client_id: app.clientId, redirect_uri: REDIRECT, scope: 'profile:read', state: 'st' });
  const authorized = await fetch(`${client.baseUrl}/oauth/authorize?${query}`, { headers: auth(app.profileToken), redirect: 'manual' });
  const code = String(new URL(String(authorized.headers.get('location'))).searchParams.get('code'));
  const exchanged = await client.request('POST', '/oauth/token', { headers: clientAuth, form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT } });
  const refreshed = await client.request('POST', '/oauth/token', { headers: clientAuth, form: { grant_type: 'refresh_token', refresh_token: String(exchanged.body.refresh_token) } });
  const credentials = await client.request('POST', '/oauth/token', { headers: clientAuth, form: { grant_type: 'client_credentials' } });
  const introspected = await client.request('POST', '/oauth/introspect', { headers: clientAuth, form: { token: String(refreshed.body.access_token) } });
  const created = await client.request('POST', '/o/apps/', { headers: auth(app.profileToken), json: { name: 'No-store app' } });
  const rotated = await client.request('POST', `/o/apps/${created.body.id}/secret/`, { headers: auth(app.profileToken), json: { grace_seconds: 0 } });
  const answers = [
    seen('authorize redirect with a code', authorized),
    seen('token: authorization_code', exchanged),
    seen('token: refresh_token', refreshed),
    seen('token: client_credentials', credentials),
    seen('introspect', introspected),
    seen('POST /o/apps/', created),
    seen('POST /o/apps/{id}/secret/', rotated),
  ];
  expect(answers.map((answer) => [answer.what, answer.status])).toEqual([
    ['authorize redirect with a code', 302],
    ['token: authorization_code', 200],
    ['token: refresh_token', 200],
    ['token: client_credentials', 200],
    ['introspect', 200],
    ['POST /o/apps/', 201],
    ['POST /o/apps/{id}/secret/', 201],
  ]);
  return answers;
}

/**
 * Issue 8 and DESIGN §9, what a client receives: Cache-Control on credentials, WWW-Authenticate, scheme
 * names, security headers on every route family, `iss` on authorization responses, and one structured
 * log line per refused authentication. `gatewayLog` is the gateway process's output.
 */
export function describeHttpHeaderScenarios(name: string, gateway: () => GatewayClient, processes: () => ChildProcess[], gatewayLog: () => string): void {
  describe(`${name}: response headers and security events`, () => {
    let client: GatewayClient;
    let registered: RegisteredApplication;

    beforeAll(async () => {
      client = gateway();
      registered = await registeredApplication(client, 'profile:read,oauth-app:read,oauth-app:write');
    });

    afterEach(async () => expectAlive(client, processes()));

    it('marks every credential-carrying answer of both dialects, and errors, no-store; public metadata stays cacheable', async () => {
      const privicore = await privicoreCredentialAnswers(client);
      const standards = await standardsCredentialAnswers(client, privicore.app);
      const errors = [
        seen('authenticate refused', await client.authenticate('nobody-here', 'wrong-password-123')),
        seen('token refused', await client.request('POST', '/oauth/token', { headers: { authorization: basic(registered.clientId, 'wrong') }, form: { grant_type: 'client_credentials' } })),
        seen('envelope refused', await client.request('GET', '/o/apps/')),
      ];
      for (const answer of [...privicore.answers, ...standards, ...errors]) {
        expect([answer.what, answer.headers.get('cache-control'), answer.headers.get('pragma')]).toEqual([answer.what, 'no-store', 'no-cache']);
      }
      for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/jwks.json']) {
        expect((await client.request('GET', path)).headers.get('cache-control')).toMatch(/public/);
      }
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

    it('parses the Basic and Bearer scheme names case-insensitively, in both dialects', async () => {
      const token = await client.request('POST', '/oauth/token', { headers: { authorization: basic(registered.clientId, registered.clientSecret, 'bAsIc') }, form: { grant_type: 'client_credentials' } });
      expect(token.status).toBe(200);
      const introspected = await client.request('POST', '/oauth/introspect', { headers: { authorization: basic(registered.clientId, registered.clientSecret, 'BASIC') }, form: { token: String(token.body.access_token) } });
      expect(introspected.body).toMatchObject({ active: true });
      // A client_credentials token acts as the application: the Bearer scheme was recognised (403, not 401).
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: { authorization: `bearer ${token.body.access_token}` } })).status).toBe(403);
      const revoked = await client.request('POST', '/oauth/revoke', { headers: { authorization: basic(registered.clientId, registered.clientSecret, 'basic') }, form: { token: String(token.body.access_token) } });
      expect(revoked.status).toBe(200);

      const nonce = randomBytes(16).toString('base64url');
      const requested = await client.request('GET', `/profile/oauth-application-request-authorization-code?${new URLSearchParams({ client_id: registered.clientId, nonce, 'scope[]': 'profile:read' })}`, { headers: auth(registered.profileToken) });
      expect((await client.waitForCommand(String(requested.body.commandId))).body.status).toBe('succeeded');
      const code = await client.request('POST', '/oauth-application/retrieve-authorization-code', { headers: { authorization: basic(registered.clientId, registered.clientSecret, 'basic') }, form: { id: String(requested.body.commandId), nonce } });
      expect(code.status).toBe(200);
      const tokens = await client.request('POST', '/oauth-application/obtain-access-token', { headers: { authorization: basic(registered.clientId, registered.clientSecret, 'BASIC') }, form: { authorization_code: String(code.body.authorizationCode) } });
      expect(tokens.status).toBe(200);
      const scope = await client.request('GET', '/oauth-application/retrieve-oauth-application-scope', { headers: { authorization: `basic ${tokens.body.token}` } });
      expect(scope).toMatchObject({ status: 200, body: { clientId: registered.clientId, scope: ['profile:read'] } });
      const refreshed = await client.request('POST', '/oauth-application/refresh-access-token', { headers: { authorization: `bAsIc ${tokens.body.token}` }, form: { refresh_token: String(tokens.body.refreshToken) } });
      expect(refreshed.status).toBe(200);
    });

    it('refuses a NUL in a raw header value with a 400, and answers any other header byte without a 500', async () => {
      const nul = await rawRequest(client.baseUrl, '/oauth/introspect', Buffer.from('X-Odd: a\u0000b'));
      expect(nul).toMatch(/^HTTP\/1\.1 400 /);
      const highBytes = Buffer.concat([Buffer.from('User-Agent: '), Buffer.from([0xed, 0xa0, 0x80, 0xff])]);
      const high = await rawRequest(client.baseUrl, '/oauth/introspect', highBytes);
      expect(high).toMatch(/^HTTP\/1\.1 401 /);
    });

    it('sends nosniff on every route family, errors included', async () => {
      const big = JSON.stringify({ name: 'x'.repeat(70_000) });
      const answers = [
        seen('health', await client.request('GET', '/health')),
        seen('privicore 404', await client.request('GET', '/nowhere')),
        seen('privicore 401', await client.authenticate('nobody-here', 'wrong-password-123')),
        seen('privicore 413', await client.request('POST', '/profile/authenticate', { raw: big })),
        seen('privicore 415', await client.request('POST', '/profile/authenticate', { raw: 'x', contentType: 'text/plain' })),
        seen('request-status 404', await client.request('GET', '/request-status/0193a1b2-0000-7000-8000-000000000000')),
        seen('oauth 400', await client.request('POST', '/oauth/token', { raw: '{"grant_type":' })),
        seen('oauth 401', await client.request('POST', '/oauth/token', { form: { grant_type: 'client_credentials' } })),
        seen('oauth 404', await client.request('GET', '/oauth/nowhere')),
        seen('o/apps 401', await client.request('GET', '/o/apps/')),
        seen('o/apps 200', await client.request('GET', '/o/apps/', { headers: auth(registered.profileToken) })),
        seen('o/apps 413', await client.request('POST', '/o/apps/', { headers: auth(registered.profileToken), raw: big })),
        seen('authorize error page', await fetch(`${client.baseUrl}/oauth/authorize?client_id=unknown`)),
        seen('login page', await fetch(`${client.baseUrl}/oauth/authorize?response_type=code&client_id=${registered.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}`)),
        seen('metadata', await fetch(`${client.baseUrl}/.well-known/oauth-authorization-server`)),
        seen('jwks', await fetch(`${client.baseUrl}/.well-known/jwks.json`)),
        seen('docs', await fetch(`${client.baseUrl}/docs`)),
        seen('openapi', await fetch(`${client.baseUrl}/openapi.json`)),
      ];
      for (const answer of answers) expect([answer.what, answer.headers.get('x-content-type-options')]).toEqual([answer.what, 'nosniff']);
    });

    it('keeps /docs out of frames, sends no HSTS on an http issuer, and leaves the login page its own CSP', async () => {
      for (const path of ['/docs', '/docs/', '/openapi.json']) {
        const docs = await fetch(`${client.baseUrl}${path}`);
        expect([path, docs.status]).toEqual([path, 200]);
        expect([path, docs.headers.get('x-frame-options')]).toEqual([path, 'DENY']);
        expect(docs.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(docs.headers.get('strict-transport-security')).toBeNull();
      }
      const ui = await (await fetch(`${client.baseUrl}/docs`)).text();
      for (const asset of ui.match(/(?:src|href)="[^"]+"/g) ?? []) {
        const url = new URL(asset.replace(/^(src|href)="|"$/g, ''), `${client.baseUrl}/docs`);
        const answer = await fetch(url);
        expect([url.pathname, answer.status, answer.headers.get('x-frame-options')]).toEqual([url.pathname, 200, 'DENY']);
      }
      const page = await fetch(`${client.baseUrl}/oauth/authorize?response_type=code&client_id=${registered.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=profile:read`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; form-action 'self'.*frame-ancestors 'none'/);
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('x-permitted-cross-domain-policies')).toBe('none');
      const api = await client.request('GET', '/o/apps/');
      expect(api.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(api.headers.get('x-permitted-cross-domain-policies')).toBeNull();
    });

    it('puts iss (RFC 9207) on a denied consent too, the issuer of the metadata', async () => {
      const issuer = String((await client.request('GET', '/.well-known/oauth-authorization-server')).body.issuer);
      const username = randomUsername('deny');
      await client.waitForCommand((await client.register(username, password)).commandId);
      const start = await fetch(`${client.baseUrl}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: registered.clientId, redirect_uri: REDIRECT, scope: 'profile:read', state: 'st-deny' })}`, { redirect: 'manual' });
      const cookieOf = (response: Response) => String(response.headers.get('set-cookie')).split(';')[0];
      const field = (page: string, fieldName: string) => String(new RegExp(`name="${fieldName}" value="([^"]+)"`).exec(page)?.[1]);
      const loginPage = await start.text();
      const requestId = field(loginPage, 'request_id');
      const post = (path: string, cookie: string, form: Record<string, string>) =>
        fetch(`${client.baseUrl}/oauth/authorize/${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams(form).toString(), redirect: 'manual' });
      const signedIn = await post('login', cookieOf(start), { request_id: requestId, csrf_token: field(loginPage, 'csrf_token'), username, password });
      expect(signedIn.status).toBe(200);
      const denied = await post('consent', cookieOf(signedIn), { request_id: requestId, csrf_token: field(await signedIn.text(), 'csrf_token'), decision: 'deny' });
      expect(denied.status).toBe(302);
      expect(denied.headers.get('cache-control')).toBe('no-store');
      const location = new URL(String(denied.headers.get('location')));
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(Object.fromEntries(location.searchParams)).toEqual({ error: 'access_denied', error_description: expect.any(String), state: 'st-deny', iss: issuer });
    });

    it('logs each 401 and 403 once as a structured warning without secrets', async () => {
      const marker = `e2e-${randomBytes(6).toString('hex')}`;
      const tagged = (n: number) => ({ 'x-request-id': `${marker}-${n}` });
      const secretPassword = 'Wrong-password-do-not-log-1';
      await client.request('POST', '/profile/authenticate', { headers: tagged(1), form: { username: 'nobody-here', password: secretPassword } });
      await client.request('GET', '/o/apps/', { headers: { ...tagged(2), authorization: 'Bearer secret-bearer-do-not-log' } });
      await client.request('POST', '/oauth/token', { headers: { ...tagged(3), authorization: basic(registered.clientId, 'secret-do-not-log') }, form: { grant_type: 'client_credentials' } });
      const applicationToken = await client.request('POST', '/oauth/token', { headers: { ...tagged(4), authorization: basic(registered.clientId, registered.clientSecret) }, form: { grant_type: 'client_credentials' } });
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: { ...tagged(5), authorization: `Bearer ${applicationToken.body.access_token}` } })).status).toBe(403);
      const events = () =>
        gatewayLog()
          .split('\n')
          .filter((line) => line.includes('security.auth_failure') && line.includes(marker))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
      const deadline = Date.now() + 5_000;
      while (events().length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(events()).toEqual([
        expect.objectContaining({ event: 'security.auth_failure', status: 401, code: 'profile.invalid_credentials', route: '/profile/authenticate', method: 'POST', clientAddress: expect.any(String), requestId: `${marker}-1` }),
        expect.objectContaining({ event: 'security.auth_failure', status: 401, code: 'unauthorized', route: expect.stringMatching(/^\/o\/apps\/?$/), requestId: `${marker}-2` }),
        expect.objectContaining({ event: 'security.auth_failure', status: 401, code: 'invalid_client', route: '/oauth/token', requestId: `${marker}-3` }),
        expect.objectContaining({ event: 'security.auth_failure', status: 403, code: 'forbidden', route: '/profile/retrieve-profile-id', method: 'GET', requestId: `${marker}-5` }),
      ]);
      expect(events().every((line) => line.level === 40)).toBe(true);
      const output = gatewayLog();
      for (const secret of [secretPassword, 'secret-bearer-do-not-log', 'secret-do-not-log', Buffer.from(`${registered.clientId}:secret-do-not-log`).toString('base64'), String(applicationToken.body.access_token)]) {
        expect(output).not.toContain(secret);
      }
    });
  });
}
