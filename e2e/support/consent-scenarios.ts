import { createHash, randomBytes } from 'node:crypto';
import { GatewayClient } from './client';
import { hiddenField } from './pages';
import { registeredApplication, type RegisteredApplication } from './oauth-scenarios';
import { registeredProfile } from './token-scenarios';

const REDIRECT = 'https://printer.example/callback';
const password = 'correct horse battery staple';
const challengeOf = (value: string) => createHash('sha256').update(value).digest('base64url');
const basic = (app: RegisteredApplication) => `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;

type Profile = { username: string; token: string; profileId: string };

async function form(client: GatewayClient, path: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${client.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
    redirect: 'manual',
  });
  const text = await response.text();
  return { status: response.status, response, text, body: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** A code flow consented by the profile's header, redeemed for tokens. */
async function authorizedTokens(client: GatewayClient, app: RegisteredApplication, profile: Profile, scope = 'profile:read') {
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({ response_type: 'code', client_id: app.clientId, redirect_uri: REDIRECT, scope, code_challenge: challengeOf(verifier), code_challenge_method: 'S256' });
  const authorize = await fetch(`${client.baseUrl}/oauth/authorize?${query}`, { headers: { 'x-dpt-authorization': profile.token }, redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const code = String(new URL(String(authorize.headers.get('location'))).searchParams.get('code'));
  const tokens = await form(client, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, { authorization: basic(app) });
  expect(tokens.status).toBe(200);
  return { accessToken: String(tokens.body.access_token), refreshToken: String(tokens.body.refresh_token) };
}

const bearer = (client: GatewayClient, token: string) => client.request('GET', '/profile/retrieve-profile-id', { headers: { authorization: `Bearer ${token}` } });
const listOf = async (client: GatewayClient, profile: Profile) => {
  const answer = await client.request<Record<string, unknown>[]>('GET', '/profile/authorized-applications', { headers: { 'x-dpt-authorization': profile.token } });
  expect(answer.status).toBe(200);
  return answer.body;
};
const revoke = (client: GatewayClient, profile: Profile, target: Record<string, string>) =>
  client.request('POST', '/profile/authorized-application-revoke', { headers: { 'x-dpt-authorization': profile.token }, form: target });

/** A browser: cookies kept by name, redirects not followed. */
class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly client: GatewayClient) {}

  async fetch(path: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const response = await fetch(`${this.client.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form && new URLSearchParams(init.form).toString(),
      redirect: 'manual',
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, value] = pair.split('=');
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
    return { status: response.status, location: response.headers.get('location'), page: await response.text() };
  }
}

/** DESIGN §8: the applications a profile has authorized, revoked by it; consent remembered. */
export function describeConsentScenarios(name: string, gateway: () => GatewayClient): void {
  describe(`${name}: authorized applications and remembered consent`, () => {
    it("lets profile B list and revoke its grants to A's application: the tokens are refused at once, A's grants untouched", async () => {
      const client = gateway();
      const app = await registeredApplication(client, 'profile:read,oauth-app:read');
      const a: Profile = { username: '', token: app.profileToken, profileId: app.profileId };
      const b = await registeredProfile(client);
      const first = await authorizedTokens(client, app, b);
      const second = await authorizedTokens(client, app, b, 'oauth-app:read');
      const own = await authorizedTokens(client, app, a);

      expect((await bearer(client, first.accessToken)).status).toBe(200);
      const listed = await listOf(client, b);
      expect(listed).toHaveLength(2);
      for (const entry of listed) {
        expect(entry).toMatchObject({ applicationId: app.applicationId, clientId: app.clientId, name: 'Photo printer', grantedAt: expect.stringMatching(/\+00:00$/) });
      }
      const firstGrant = listed.find((entry) => (entry.scopes as string[]).includes('profile:read'))!;
      expect(firstGrant.lastUsedAt).toEqual(expect.stringMatching(/\+00:00$/));
      expect(listed.find((entry) => entry !== firstGrant)!.lastUsedAt).toBeNull();
      const aList = await listOf(client, a);
      expect(aList).toHaveLength(1);

      // Another profile's grant is as unknown as a made-up one; an application token may not do this.
      expect((await revoke(client, a, { grantId: String(firstGrant.grantId) })).status).toBe(404);
      expect((await revoke(client, b, { grantId: 'no-such-grant' })).status).toBe(404);
      expect((await revoke(client, b, {})).status).toBe(400);
      expect((await client.request('POST', '/profile/authorized-application-revoke', { headers: { authorization: `Bearer ${own.accessToken}` }, form: { grantId: String(aList[0].grantId) } })).status).toBe(403);
      expect((await bearer(client, first.accessToken)).status).toBe(200);

      const revoked = await revoke(client, b, { grantId: String(firstGrant.grantId) });
      expect(revoked.status).toBe(202);
      expect((await client.waitForCommand(String(revoked.body.commandId), b.token)).body.status).toBe('succeeded');
      expect((await bearer(client, first.accessToken)).status).toBe(401);
      const introspected = await form(client, '/oauth/introspect', { token: first.accessToken }, { authorization: basic(app) });
      expect(introspected.body).toEqual({ active: false });
      const refreshed = await form(client, '/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refreshToken }, { authorization: basic(app) });
      expect(refreshed.status).toBe(400);
      expect(refreshed.body.error).toBe('invalid_grant');
      expect((await bearer(client, second.accessToken)).status).toBe(403); // alive, but without profile:read
      expect((await listOf(client, b)).map((entry) => entry.grantId)).toEqual([listed.find((entry) => entry !== firstGrant)!.grantId]);

      const byApplication = await revoke(client, b, { applicationId: app.applicationId });
      expect(byApplication.status).toBe(202);
      expect((await client.waitForCommand(String(byApplication.body.commandId), b.token)).body.status).toBe('succeeded');
      expect((await bearer(client, second.accessToken)).status).toBe(401);
      expect(await listOf(client, b)).toEqual([]);
      expect((await revoke(client, b, { applicationId: app.applicationId })).status).toBe(404);

      expect((await bearer(client, own.accessToken)).status).toBe(200);
      expect(await listOf(client, a)).toHaveLength(1);
    });

    it('remembers consent for scopes already granted, asks again with prompt=consent, for new scopes and after a revocation', async () => {
      const client = gateway();
      const app = await registeredApplication(client, 'profile:read,oauth-app:read');
      const b = await registeredProfile(client);
      const browser = new Browser(client);
      const authorize = (params: Record<string, string> = {}) =>
        browser.fetch(`/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: app.clientId, redirect_uri: REDIRECT, scope: 'profile:read', state: 's1', ...params })}`);
      const isCode = (answer: { status: number; location: string | null }) => answer.status === 302 && new URL(String(answer.location)).searchParams.has('code');
      const approve = async (page: string) =>
        browser.fetch('/oauth/authorize/consent', { method: 'POST', form: { request_id: hiddenField(page, 'request_id'), csrf_token: hiddenField(page, 'csrf_token'), decision: 'approve' } });

      const login = await authorize();
      expect(login.page).toContain('Sign in');
      const consent = await browser.fetch('/oauth/authorize/login', {
        method: 'POST',
        form: { request_id: hiddenField(login.page, 'request_id'), csrf_token: hiddenField(login.page, 'csrf_token'), username: b.username, password },
      });
      expect(consent.page).toContain('wants access to your profile');
      expect(isCode(await approve(consent.page))).toBe(true);

      expect(isCode(await authorize())).toBe(true);
      const forced = await authorize({ prompt: 'consent' });
      expect(forced.status).toBe(200);
      expect(forced.page).toContain('wants access to your profile');
      expect(isCode(await approve(forced.page))).toBe(true);
      const wider = await authorize({ scope: 'profile:read oauth-app:read' });
      expect(wider.page).toContain('oauth-app:read');
      expect(isCode(await approve(wider.page))).toBe(true);
      expect(isCode(await authorize({ scope: 'oauth-app:read' }))).toBe(true);

      const revoked = await revoke(client, b, { applicationId: app.applicationId });
      expect(revoked.status).toBe(202);
      expect((await client.waitForCommand(String(revoked.body.commandId), b.token)).body.status).toBe('succeeded');
      const again = await authorize();
      expect(again.status).toBe(200);
      expect(again.page).toContain('wants access to your profile');
    });
  });
}
