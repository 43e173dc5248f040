import type { ChildProcess } from 'node:child_process';
import type { Answer, GatewayClient } from './client';
import { basic, envelopeError, expectAlive, oauthError, privicoreError } from './hardening';
import { registeredApplication, type RegisteredApplication } from './oauth-scenarios';

const nested = (depth: number) => `{"username":${'['.repeat(depth)}${']'.repeat(depth)},"password":"x"}`;
const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

/**
 * Issue 8, what a client sends: nothing crashes a process or gets a 5xx, every error has its route
 * family's shape (DESIGN §9), and after each check every process of the target is still alive.
 */
export function describeHttpInputScenarios(name: string, gateway: () => GatewayClient, processes: () => ChildProcess[]): void {
  describe(`${name}: hostile HTTP input`, () => {
    let client: GatewayClient;
    let registered: RegisteredApplication;
    const profileAuth = () => ({ 'x-dpt-authorization': registered.profileToken });

    beforeAll(async () => {
      client = gateway();
      registered = await registeredApplication(client, 'profile:read,oauth-app:read,oauth-app:write');
    });

    afterEach(async () => expectAlive(client, processes()));

    it('refuses thousands of nesting levels with 400 in each family, and accepts reasonable depth', async () => {
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: nested(5000) }), 400, 'malformed_body');
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: nested(33) }), 400, 'malformed_body');
      oauthError(await client.request('POST', '/oauth/token', { raw: `{"grant_type":${'['.repeat(10_000)}` }), 400, 'invalid_request');
      envelopeError(await client.request('POST', '/o/apps/', { headers: profileAuth(), raw: `{"name":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}` }), 400, 'validation_error');
      // 30 levels parse; the DTO then refuses the shape, not the parser.
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: nested(30) }), 400, 'validation_error');
    });

    it('answers what the router and the HTTP parser refuse in each family\'s shape: a URL that does not decode, a long path parameter, huge headers', async () => {
      envelopeError(await client.request('PATCH', '/o/apps/%C0%AE/', { headers: profileAuth(), json: { name: 'x' } }), 400, 'validation_error');
      privicoreError(await client.request('GET', '/request-status/%C0'), 400, 'validation_error');
      oauthError(await client.request('POST', '/oauth/token/%C0', { form: { grant_type: 'client_credentials' } }), 400, 'invalid_request');
      envelopeError(await client.request('DELETE', `/o/apps/${'a'.repeat(200)}/`, { headers: profileAuth() }), 414, 'uri_too_long');
      privicoreError(await client.request('GET', `/request-status/${'a'.repeat(200)}`), 414, 'uri_too_long');
      const pad = { 'x-pad': 'a'.repeat(20_000) };
      envelopeError(await client.request('GET', '/o/apps/', { headers: { ...profileAuth(), ...pad } }), 431, 'headers_too_large');
      oauthError(await client.request('POST', '/oauth/token', { headers: pad, form: { grant_type: 'client_credentials' } }), 431, 'invalid_request');
      privicoreError(await client.request('GET', `/profile/retrieve-profile-id?x=${'a'.repeat(60_000)}`, { headers: profileAuth() }), 431, 'headers_too_large');
    });

    it('separates scopes by spaces or commas only: a tab or a newline leaves a name that is no scope', async () => {
      const asClient = { authorization: basic(registered.clientId, registered.clientSecret) };
      for (const scope of ['profile:read\toauth-app:read', 'profile:read\noauth-app:read']) {
        oauthError(await client.request('POST', '/oauth/token', { headers: asClient, form: { grant_type: 'client_credentials', scope } }), 400, 'invalid_scope');
        privicoreError(
          await client.request('POST', '/profile/oauth-application-register', { headers: profileAuth(), form: { name: 'Tabbed', redirectUri: 'https://p.example/cb', scopes: scope } }),
          400,
          'validation_error',
        );
      }
      const spaced = await client.request('POST', '/oauth/token', { headers: asClient, form: { grant_type: 'client_credentials', scope: 'profile:read oauth-app:read' } });
      expect([spaced.status, spaced.body.scope]).toEqual([200, 'profile:read oauth-app:read']);
    });

    it('refuses a code request whose scope parameter names nothing or is misnamed, instead of granting every scope', async () => {
      const nonce = `nonce-${Date.now().toString(36)}-scopes`;
      const path = (extra: string) => `/profile/oauth-application-request-authorization-code?client_id=${registered.clientId}&nonce=${nonce}&${extra}`;
      for (const extra of ['scope[0]=profile:read', 'scope[]=', 'scope=', 'scope[]=profile:read&scopes=x&scope[a]=y']) {
        const refused = await client.request('GET', path(extra), { headers: profileAuth() });
        expect([extra, refused.status, refused.body.error]).toEqual([extra, 400, 'validation_error']);
      }
      // Nothing was recorded: the nonce is still unused.
      const narrow = await client.request('GET', path('scope[]=profile:read'), { headers: profileAuth() });
      expect(narrow.status).toBe(202);
      expect((await client.waitForCommand(String(narrow.body.commandId))).body.status).toBe('succeeded');
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

    it.each([
      ['a date PostgreSQL cannot hold', cursorOf('-271821-04-20T00:00:00.000Z|1')],
      ['an id beyond bigint', cursorOf('2020-01-01T00:00:00.000Z|99999999999999999999')],
      ['a negative id', cursorOf('2020-01-01T00:00:00.000Z|-1')],
      ['a loosely parsed date', cursorOf('Jan 1 2020|1')],
      ['no separator', cursorOf('garbage')],
      ['not base64url', '!!!'],
    ])('refuses an audit cursor with %s: 400 validation_error', async (_, cursor) => {
      const answer = await client.request('GET', `/profile/oauth-application-audit?applicationId=${registered.applicationId}&cursor=${encodeURIComponent(cursor)}`, { headers: profileAuth() });
      privicoreError(answer, 400, 'validation_error');
    });

    it('still pages the audit trail with the cursors it issues', async () => {
      const first = await client.request('GET', `/profile/oauth-application-audit?applicationId=${registered.applicationId}`, { headers: profileAuth() });
      expect(first.status).toBe(200);
      const valid = cursorOf('2020-01-01T00:00:00.000Z|1');
      expect((await client.request('GET', `/profile/oauth-application-audit?applicationId=${registered.applicationId}&cursor=${valid}`, { headers: profileAuth() })).status).toBe(200);
    });

    it('answers invalid JSON and unsupported media types in the family shape', async () => {
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: '{"username":' }), 400, 'malformed_body');
      oauthError(await client.request('POST', '/oauth/token', { raw: '{"grant_type":' }), 400, 'invalid_request');
      envelopeError(await client.request('POST', '/o/apps/', { headers: profileAuth(), raw: '{"name":' }), 400, 'validation_error');
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: 'hello', contentType: 'text/plain' }), 415, 'unsupported_media_type');
      oauthError(await client.request('POST', '/oauth/revoke', { raw: 'hello', contentType: 'text/plain' }), 415, 'invalid_request');
      envelopeError(await client.request('POST', '/o/apps/', { headers: profileAuth(), raw: 'hello', contentType: 'text/plain' }), 415, 'unsupported_media_type');
    });

    it('answers unknown routes with 404 in the family shape, never echoing the query string', async () => {
      const secret = 'sekrit-query-value';
      for (const [path, check] of [
        ['/nowhere', (a: Answer) => privicoreError(a, 404, 'not_found')],
        ['/profile/nowhere', (a: Answer) => privicoreError(a, 404, 'not_found')],
        ['/oauth/nowhere', (a: Answer) => oauthError(a, 404, 'invalid_request')],
        ['/o/apps/x/y/z', (a: Answer) => envelopeError(a, 404, 'not_found')],
      ] as const) {
        for (const method of ['GET', 'POST']) {
          const answer = await client.request(method, `${path}?access_token=${secret}&next=%3Cb%3Eecho-me%3C%2Fb%3E`, { headers: profileAuth() });
          check(answer);
          const echoed = JSON.stringify(answer.body) + JSON.stringify([...answer.headers]);
          expect(echoed).not.toContain(secret);
          expect(echoed).not.toContain('echo-me');
        }
      }
      const docs = await fetch(`${client.baseUrl}/docs/nowhere?access_token=${secret}`);
      expect(docs.status).toBe(404);
      expect(await docs.text()).not.toContain(secret);
    });

    it('treats application/json with an empty body as a request without a body', async () => {
      const created = await client.request('POST', '/o/apps/', { headers: profileAuth(), json: { name: 'Short-lived' } });
      expect(created.status).toBe(201);
      const deleted = await client.request('DELETE', `/o/apps/${created.body.id}/`, { headers: profileAuth(), raw: '', contentType: 'application/json' });
      expect(deleted.status).toBe(204);
      privicoreError(await client.request('POST', '/profile/authenticate', { raw: '' }), 400, 'validation_error');
    });
  });
}
