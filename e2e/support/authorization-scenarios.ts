import { createHash, randomBytes } from 'node:crypto';
import { GatewayClient } from './client';
import { hiddenField } from './pages';
import { registeredApplication, type RegisteredApplication } from './oauth-scenarios';
import { registeredProfile } from './token-scenarios';

const REDIRECT = 'https://printer.example/callback';
const password = 'correct horse battery staple';

const verifier = () => randomBytes(32).toString('base64url');
const challengeOf = (value: string) => createHash('sha256').update(value).digest('base64url');

const authorizeUrl = (client: GatewayClient, params: Record<string, string>) => `${client.baseUrl}/oauth/authorize?${new URLSearchParams({ redirect_uri: REDIRECT, ...params })}`;

/** The `name=value` of a Set-Cookie header, and its attributes. */
const setCookieOf = (response: Response) => {
  const header = response.headers.get('set-cookie');
  if (!header) return undefined;
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  const [name, value] = pair.split('=');
  return { name, value, attributes: attributes.map((attribute) => attribute.toLowerCase()) };
};

const basic = (app: RegisteredApplication) => `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;

async function tokenRequest(client: GatewayClient, app: RegisteredApplication, params: Record<string, string>) {
  const response = await fetch(`${client.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(app) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string | number> };
}

/** Consent by the profile's own token; answers the redirect (never followed). */
async function authorizeAsProfile(client: GatewayClient, app: RegisteredApplication, params: Record<string, string>) {
  const response = await fetch(authorizeUrl(client, { response_type: 'code', client_id: app.clientId, ...params }), {
    headers: { 'x-dpt-authorization': app.profileToken },
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location') ? new URL(String(response.headers.get('location'))) : null };
}

async function codeGrant(client: GatewayClient, app: RegisteredApplication, scope: string) {
  const pkce = verifier();
  const answer = await authorizeAsProfile(client, app, { scope, state: 'st', code_challenge: challengeOf(pkce), code_challenge_method: 'S256' });
  expect(answer.status).toBe(302);
  const tokens = await tokenRequest(client, app, { grant_type: 'authorization_code', code: String(answer.location?.searchParams.get('code')), redirect_uri: REDIRECT, code_verifier: pkce });
  expect(tokens.status).toBe(200);
  return tokens.body;
}

/**
 * RFC 9700 §4.11.2 (no open redirector), RFC 9207 (`iss`), RFC 6749 §6 (refresh with scope) and the
 * sign-in cookie of the login and consent pages, over HTTP.
 */
export function describeAuthorizationScenarios(name: string, gateway: () => GatewayClient): void {
  describe(`${name}: authorization endpoint hardening`, () => {
    it('answers a bad request of a browser that has not signed in with our own 400 page, never a redirect to the client', async () => {
      const client = gateway();
      const confidential = await registeredApplication(client, 'profile:read');
      const publicClient = await registeredApplication(client, 'profile:read', { clientType: 'public' });
      const challenge = challengeOf(verifier());
      const bad: [string, RegisteredApplication, Record<string, string>][] = [
        ['a scope beyond the application', confidential, { response_type: 'code', scope: 'oauth-app:write' }],
        ['an unknown scope', confidential, { response_type: 'code', scope: 'everything' }],
        ['an unsupported response_type', confidential, { response_type: 'token', scope: 'profile:read' }],
        ['no response_type', confidential, { scope: 'profile:read' }],
        ['a public client without PKCE', publicClient, { response_type: 'code', scope: 'profile:read' }],
        ['the plain PKCE method', confidential, { response_type: 'code', code_challenge: challenge, code_challenge_method: 'plain' }],
        ['a malformed challenge', confidential, { response_type: 'code', code_challenge: 'short', code_challenge_method: 'S256' }],
      ];
      for (const [what, app, params] of bad) {
        const response = await fetch(authorizeUrl(client, { client_id: app.clientId, state: 'attacker-state', ...params }), { redirect: 'manual' });
        const page = await response.text();
        expect({ what, status: response.status, location: response.headers.get('location') }).toEqual({ what, status: 400, location: null });
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
        expect(page).toContain('Authorization error');
        expect(page).not.toContain('printer.example');
      }
      const malformed = await fetch(authorizeUrl(client, { response_type: 'code', client_id: confidential.clientId, state: 'x'.repeat(1001) }), { redirect: 'manual' });
      expect([malformed.status, malformed.headers.get('location'), malformed.headers.get('content-type')]).toEqual([400, null, 'text/html; charset=utf-8']);
      expect(await malformed.text()).toContain('Authorization error');
    });

    it('after authentication by X-DPT-AUTHORIZATION, redirects errors and codes with iss (RFC 9207)', async () => {
      const client = gateway();
      const app = await registeredApplication(client, 'profile:read');
      const escalation = await authorizeAsProfile(client, app, { scope: 'oauth-app:write', state: 'st-1' });
      expect(escalation.status).toBe(302);
      expect(`${escalation.location?.origin}${escalation.location?.pathname}`).toBe(REDIRECT);
      expect(Object.fromEntries(escalation.location?.searchParams ?? [])).toMatchObject({ error: 'invalid_scope', state: 'st-1', iss: client.baseUrl });
      const responseType = await authorizeAsProfile(client, app, { response_type: 'token', state: 'st-2' });
      expect(Object.fromEntries(responseType.location?.searchParams ?? [])).toMatchObject({ error: 'unsupported_response_type', state: 'st-2', iss: client.baseUrl });

      const granted = await authorizeAsProfile(client, app, { scope: 'profile:read', state: 'st-3' });
      expect(granted.status).toBe(302);
      expect(Object.fromEntries(granted.location?.searchParams ?? [])).toEqual({ code: expect.any(String), state: 'st-3', iss: client.baseUrl });

      const badToken = await fetch(authorizeUrl(client, { response_type: 'token', client_id: app.clientId }), { headers: { 'x-dpt-authorization': 'not-a-token' }, redirect: 'manual' });
      expect([badToken.status, badToken.headers.get('location')]).toEqual([401, null]);
    });

    it('publishes authorization_response_iss_parameter_supported in its metadata', async () => {
      const client = gateway();
      const metadata = await client.request('GET', '/.well-known/oauth-authorization-server');
      expect(metadata.body).toMatchObject({ issuer: client.baseUrl, authorization_response_iss_parameter_supported: true });
    });

    it('narrows a refreshed access token to a requested part of the grant, refuses a wider scope, and keeps the grant for the next refresh', async () => {
      const client = gateway();
      const app = await registeredApplication(client, 'profile:read,oauth-app:read');
      const first = await codeGrant(client, app, 'profile:read oauth-app:read');
      expect(first.scope).toBe('profile:read oauth-app:read');

      const narrowed = await tokenRequest(client, app, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token), scope: 'profile:read' });
      expect(narrowed).toMatchObject({ status: 200, body: { scope: 'profile:read', refresh_token: expect.any(String) } });
      const bearer = { authorization: `Bearer ${narrowed.body.access_token}` };
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: bearer })).body).toEqual({ profileId: app.profileId });
      expect((await client.request('GET', '/profile/retrieve-oauth-application-list', { headers: bearer })).status).toBe(403);
      const introspected = await fetch(`${client.baseUrl}/oauth/introspect`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(app) },
        body: new URLSearchParams({ token: String(narrowed.body.access_token) }).toString(),
      });
      expect(await introspected.json()).toMatchObject({ active: true, scope: 'profile:read' });

      const current = String(narrowed.body.refresh_token);
      for (const scope of ['oauth-app:write', 'profile:read oauth-app:read data-token:read', 'read', 'nonsense']) {
        const refused = await tokenRequest(client, app, { grant_type: 'refresh_token', refresh_token: current, scope });
        expect({ scope, status: refused.status, error: refused.body.error }).toEqual({ scope, status: 400, error: 'invalid_scope' });
      }

      // The refused requests changed nothing, and the rotated refresh token still carries the whole grant.
      const whole = await tokenRequest(client, app, { grant_type: 'refresh_token', refresh_token: current });
      expect(whole).toMatchObject({ status: 200, body: { scope: 'profile:read oauth-app:read' } });
      const list = await client.request('GET', '/profile/retrieve-oauth-application-list', { headers: { authorization: `Bearer ${whole.body.access_token}` } });
      expect(list.status).toBe(200);
    });

    itReplacesTheSignInCookieAtSignIn(gateway);
  });
}

/**
 * The sign-in cookie (session fixation): replaced at sign-in; `__Host-` and Secure when the issuer is
 * https, plain `oauth_authz` for an http issuer.
 */
export function itReplacesTheSignInCookieAtSignIn(gateway: () => GatewayClient): void {
  it('replaces the sign-in cookie at sign-in: the cookie and CSRF token handed out before authentication stop working', async () => {
    const client = gateway();
    const issuer = String((await client.request('GET', '/.well-known/oauth-authorization-server')).body.issuer);
    const secure = issuer.startsWith('https:');
    const cookieName = secure ? '__Host-oauth_authz' : 'oauth_authz';
    const app = await registeredApplication(client, 'profile:read');
    const { username } = await registeredProfile(client); // a resource owner who does not own the application

    const start = await fetch(authorizeUrl(client, { response_type: 'code', client_id: app.clientId, scope: 'profile:read', state: 'st-cookie' }), { redirect: 'manual' });
    expect(start.status).toBe(200);
    const before = setCookieOf(start);
    expect(before).toMatchObject({ name: cookieName, value: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(before?.attributes).toEqual(expect.arrayContaining(['path=/', 'httponly', 'samesite=lax']));
    if (secure) expect(before?.attributes).toContain('secure');
    else expect(before?.attributes).not.toContain('secure');
    const loginPage = await start.text();
    const requestId = hiddenField(loginPage, 'request_id');
    const csrfBefore = hiddenField(loginPage, 'csrf_token');

    const login = (cookie: string, csrf: string) =>
      fetch(`${client.baseUrl}/oauth/authorize/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${cookieName}=${cookie}` },
        body: new URLSearchParams({ request_id: requestId, csrf_token: csrf, username, password }).toString(),
        redirect: 'manual',
      });
    const signedIn = await login(String(before?.value), csrfBefore);
    expect(signedIn.status).toBe(200);
    const after = setCookieOf(signedIn);
    expect(after).toMatchObject({ name: cookieName, value: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(after?.value).not.toBe(before?.value);
    expect(after?.attributes).toEqual(expect.arrayContaining(['path=/', 'httponly', 'samesite=lax']));
    const consentPage = await signedIn.text();
    const csrfAfter = hiddenField(consentPage, 'csrf_token');
    expect(csrfAfter).not.toBe(csrfBefore);

    const consent = (cookie: string, csrf: string) =>
      fetch(`${client.baseUrl}/oauth/authorize/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${cookieName}=${cookie}` },
        body: new URLSearchParams({ request_id: requestId, csrf_token: csrf, decision: 'approve' }).toString(),
        redirect: 'manual',
      });
    for (const [cookie, csrf] of [
      [String(before?.value), csrfBefore],
      [String(before?.value), csrfAfter],
      [String(after?.value), csrfBefore],
    ]) {
      const stale = await consent(cookie, csrf);
      expect([stale.status, stale.headers.get('location')]).toEqual([400, null]);
    }
    expect((await login(String(before?.value), csrfBefore)).status).toBe(400);

    const approved = await consent(String(after?.value), csrfAfter);
    expect(approved.status).toBe(302);
    const location = new URL(String(approved.headers.get('location')));
    expect(Object.fromEntries(location.searchParams)).toEqual({ code: expect.any(String), state: 'st-cookie', iss: issuer });
    expect(setCookieOf(approved)).toMatchObject({ name: cookieName, value: '' });
  });
}
