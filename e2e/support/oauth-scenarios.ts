import { type Answer, GatewayClient } from './client';
import { registeredProfile } from './token-scenarios';

const profileAuth = (token: string) => ({ 'x-dpt-authorization': token });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basicClient = (clientId: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` });
const basicToken = (token: string) => ({ authorization: `Basic ${token}` });

export interface RegisteredApplication {
  profileToken: string;
  profileId: string;
  applicationId: string;
  clientId: string;
  clientSecret: string;
}

export async function registeredApplication(client: GatewayClient, scopes = 'profile:read,oauth-app:read', extra: Record<string, string> = {}): Promise<RegisteredApplication> {
  const profile = await registeredProfile(client);
  const register = await client.request('POST', '/profile/oauth-application-register', {
    headers: profileAuth(profile.token),
    form: { name: 'Photo printer', redirectUri: ['https://printer.example/callback', 'http://localhost:3000/cb'], scopes, ...extra },
  });
  expect(register.status).toBe(202);
  const applicationId = String(register.body.commandId);
  expect((await client.waitForCommand(applicationId, profile.token)).body).toMatchObject({ status: 'succeeded', result: { applicationId } });
  const configuration = await client.request('POST', '/profile/retrieve-oauth-application-configuration', {
    headers: profileAuth(profile.token),
    form: { applicationId },
  });
  expect(configuration.status).toBe(200);
  return {
    profileToken: profile.token,
    profileId: profile.profileId,
    applicationId,
    clientId: String(configuration.body.clientId),
    clientSecret: String(configuration.body.clientSecret),
  };
}

async function requestCode(client: GatewayClient, app: RegisteredApplication, nonce: string, scopes = ['profile:read']): Promise<{ grantId: string; status: Answer }> {
  const query = new URLSearchParams({ client_id: app.clientId, nonce });
  for (const scope of scopes) query.append('scope[]', scope);
  const answer = await client.request('GET', `/profile/oauth-application-request-authorization-code?${query}`, { headers: profileAuth(app.profileToken) });
  expect(answer.status).toBe(202);
  const grantId = String(answer.body.commandId);
  return { grantId, status: await client.waitForCommand(grantId) };
}

export async function codeFlow(client: GatewayClient, app: RegisteredApplication, scopes = ['profile:read']) {
  const nonce = `nonce-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const { grantId, status } = await requestCode(client, app, nonce, scopes);
  expect(status.body.status).toBe('succeeded');
  const code = await client.request('POST', '/oauth-application/retrieve-authorization-code', { headers: basicClient(app.clientId, app.clientSecret), form: { id: grantId, nonce } });
  expect(code.status).toBe(200);
  const authorizationCode = String(code.body.authorizationCode);
  const tokens = await client.request('POST', '/oauth-application/obtain-access-token', { headers: basicClient(app.clientId, app.clientSecret), form: { authorization_code: authorizationCode } });
  expect(tokens.status).toBe(200);
  return { grantId, nonce, authorizationCode, code, tokens, accessToken: String(tokens.body.token), refreshToken: String(tokens.body.refreshToken) };
}

/** The Privicore application flow of DESIGN §4, every step usable the moment the previous one succeeded. */
export function describeOAuthScenarios(name: string, gateway: () => GatewayClient): void {
  describe(`${name}: OAuth applications and the code flow`, () => {
    it('registers, reads the credentials once, lists without secrets', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      expect(app.clientId).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect(app.clientSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      const again = await client.request('POST', '/profile/retrieve-oauth-application-configuration', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId } });
      expect([again.status, again.body.error]).toEqual([422, 'oauth.already_retrieved']);
      const list = await client.request<Record<string, unknown>[]>('GET', '/profile/retrieve-oauth-application-list', { headers: profileAuth(app.profileToken) });
      expect(list.status).toBe(200);
      expect(list.body).toEqual([
        expect.objectContaining({
          applicationId: app.applicationId,
          clientId: app.clientId,
          name: 'Photo printer',
          redirectUris: ['https://printer.example/callback', 'http://localhost:3000/cb'],
          scopes: ['profile:read', 'oauth-app:read'],
          status: 'active',
          createdAt: expect.stringMatching(/\+00:00$/),
        }),
      ]);
      expect(JSON.stringify(list.body)).not.toContain(app.clientSecret);
      expect(JSON.stringify(list.body)).not.toContain('ecret');
    });

    it('refuses bad registrations with stable codes', async () => {
      const client = gateway();
      const { token } = await registeredProfile(client);
      const cases: Record<string, string | string[]>[] = [
        { name: 'x', redirectUri: 'https://ok.example/cb', scopes: 'profile:read,everything' },
        { name: 'x', redirectUri: 'https://ok.example/cb#fragment', scopes: 'read' },
        { name: 'x', redirectUri: 'http://evil.example/cb', scopes: 'read' },
        { name: 'x', redirectUri: 'not a uri', scopes: 'read' },
        { name: 'x', redirectUri: 'https://ok.example/cb', scopes: 'read', accessTokenTtl: '99999' },
        { redirectUri: 'https://ok.example/cb', scopes: 'read' },
      ];
      for (const form of cases) {
        const answer = await client.request('POST', '/profile/oauth-application-register', { headers: profileAuth(token), form });
        expect([answer.status, answer.body.error]).toEqual([400, 'validation_error']);
      }
    });

    it('runs the code flow: request, retrieve, obtain, scope, act for the profile within scope', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const flow = await codeFlow(client, app);
      expect(flow.code.body).toMatchObject({ clientId: app.clientId, nonce: flow.nonce, expiresAt: expect.stringMatching(/\+00:00$/) });
      expect(flow.tokens.body).toMatchObject({
        clientId: app.clientId,
        type: 'bearer',
        scope: 'profile:read',
        expiresAt: expect.stringMatching(/\+00:00$/),
        refreshTokenExpiresAt: expect.stringMatching(/\+00:00$/),
      });
      const [header, payload] = flow.accessToken.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString() || '{}'));
      expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
      expect(payload).toMatchObject({ sub: app.profileId, client_id: app.clientId, scope: 'profile:read', jti: expect.any(String), iss: expect.any(String), aud: expect.any(String) });

      const scope = await client.request('GET', '/oauth-application/retrieve-oauth-application-scope', { headers: basicToken(flow.accessToken) });
      expect(scope.body).toEqual({ clientId: app.clientId, scope: ['profile:read'] });
      const who = await client.request('GET', '/profile/retrieve-profile-id', { headers: bearer(flow.accessToken) });
      expect(who.body).toEqual({ profileId: app.profileId });
      const outside = await client.request('GET', '/profile/retrieve-oauth-application-list', { headers: bearer(flow.accessToken) });
      expect([outside.status, outside.body.error]).toEqual([403, 'forbidden']);
      const profileOnly = await client.request('POST', '/profile/generate-token-qr', { headers: bearer(flow.accessToken) });
      expect(profileOnly.status).toBe(403);
      const jwks = await client.request<{ keys: { kid: string }[] }>('GET', '/.well-known/jwks.json');
      expect(jwks.body.keys.map((key) => key.kid)).toContain(header.kid);
    });

    it('refuses a wrong nonce or secret without burning the code, then a replayed code revokes what it issued', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const nonce = 'nonce-for-refusals-1';
      const { grantId } = await requestCode(client, app, nonce);
      const wrongNonce = await client.request('POST', '/oauth-application/retrieve-authorization-code', { headers: basicClient(app.clientId, app.clientSecret), form: { id: grantId, nonce: 'another-nonce' } });
      expect([wrongNonce.status, wrongNonce.body.error]).toEqual([400, 'oauth.invalid_nonce']);
      const wrongSecret = await client.request('POST', '/oauth-application/retrieve-authorization-code', { headers: basicClient(app.clientId, 'not-the-secret'), form: { id: grantId, nonce } });
      expect([wrongSecret.status, wrongSecret.body.error]).toEqual([401, 'invalid_client']);
      expect(wrongSecret.headers.get('www-authenticate')).toContain('Basic');
      const code = await client.request('POST', '/oauth-application/retrieve-authorization-code', { headers: basicClient(app.clientId, app.clientSecret), form: { id: grantId, nonce } });
      expect(code.status).toBe(200);
      const authorizationCode = String(code.body.authorizationCode);
      const badSecret = await client.request('POST', '/oauth-application/obtain-access-token', { headers: basicClient(app.clientId, 'wrong'), form: { authorization_code: authorizationCode } });
      expect(badSecret.status).toBe(401);
      const tokens = await client.request('POST', '/oauth-application/obtain-access-token', { headers: basicClient(app.clientId, app.clientSecret), form: { authorization_code: authorizationCode } });
      expect(tokens.status).toBe(200);
      const accessToken = String(tokens.body.token);
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: bearer(accessToken) })).status).toBe(200);

      const replay = await client.request('POST', '/oauth-application/obtain-access-token', { headers: basicClient(app.clientId, app.clientSecret), form: { authorization_code: authorizationCode } });
      expect([replay.status, replay.body.error]).toEqual([400, 'invalid_grant']);
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: bearer(accessToken) })).status).toBe(401);
      const refresh = await client.request('POST', '/oauth-application/refresh-access-token', { headers: basicToken(accessToken), form: { refresh_token: String(tokens.body.refreshToken) } });
      expect(refresh.status).toBe(400);
    });

    it('refuses nonce reuse and scope escalation', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      expect((await requestCode(client, app, 'nonce-used-twice')).status.body.status).toBe('succeeded');
      expect((await requestCode(client, app, 'nonce-used-twice')).status.body).toMatchObject({ status: 'rejected', body: 'oauth.nonce_used' });
      expect((await requestCode(client, app, 'nonce-escalation', ['oauth-app:write'])).status.body).toMatchObject({ status: 'rejected', body: 'oauth.invalid_scope' });
      expect((await requestCode(client, app, 'nonce-escalation-2', ['read'])).status.body).toMatchObject({ status: 'rejected', body: 'oauth.invalid_scope' });
    });

    it("keeps another profile's application out of reach", async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const stranger = await registeredProfile(client);
      const configuration = await client.request('POST', '/profile/retrieve-oauth-application-configuration', { headers: profileAuth(stranger.token), form: { applicationId: app.applicationId } });
      expect([configuration.status, configuration.body.error]).toEqual([404, 'oauth.application_not_found']);
      const usage = await client.request('GET', `/profile/oauth-application-usage?applicationId=${app.applicationId}`, { headers: profileAuth(stranger.token) });
      expect(usage.status).toBe(404);
      const revoke = await client.request('POST', '/profile/oauth-application-revoke', { headers: profileAuth(stranger.token), form: { applicationId: app.applicationId } });
      expect((await client.waitForCommand(String(revoke.body.commandId))).body).toMatchObject({ status: 'rejected', body: 'oauth.application_not_found' });
      const list = await client.request<unknown[]>('GET', '/profile/retrieve-oauth-application-list', { headers: profileAuth(stranger.token) });
      expect(list.body).toEqual([]);
    });

    it('rotates the refresh token; reuse of a rotated one revokes the whole family', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const flow = await codeFlow(client, app);
      const first = await client.request('POST', '/oauth-application/refresh-access-token', { headers: basicToken(flow.accessToken), form: { refresh_token: flow.refreshToken } });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ token: expect.any(String), refreshToken: expect.any(String), expiresAt: expect.any(String), refreshTokenExpiresAt: expect.any(String) });
      const rotated = String(first.body.refreshToken);
      expect(rotated).not.toBe(flow.refreshToken);
      const newAccess = String(first.body.token);
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: bearer(newAccess) })).status).toBe(200);

      const reuse = await client.request('POST', '/oauth-application/refresh-access-token', { headers: basicToken(newAccess), form: { refresh_token: flow.refreshToken } });
      expect([reuse.status, reuse.body.error]).toEqual([400, 'invalid_grant']);
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: bearer(newAccess) })).status).toBe(401);
      const afterReuse = await client.request('POST', '/oauth-application/refresh-access-token', { headers: basicToken(newAccess), form: { refresh_token: rotated } });
      expect(afterReuse.status).toBe(400);
    });

    it('rotates the client secret without grace: the old one is refused after succeeded, the new one readable once and working', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const rotate = await client.request('POST', '/profile/oauth-application-rotate-secret', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId, graceSeconds: '0' } });
      expect(rotate.status).toBe(202);
      expect((await client.waitForCommand(String(rotate.body.commandId))).body.status).toBe('succeeded');
      const { grantId } = await requestCode(client, app, 'nonce-after-rotation');
      const old = await client.request('POST', '/oauth-application/retrieve-authorization-code', { headers: basicClient(app.clientId, app.clientSecret), form: { id: grantId, nonce: 'nonce-after-rotation' } });
      expect(old.status).toBe(401);
      const configuration = await client.request('POST', '/profile/retrieve-oauth-application-configuration', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId } });
      expect(configuration.status).toBe(200);
      const secret = String(configuration.body.clientSecret);
      expect(secret).not.toBe(app.clientSecret);
      const code = await client.request('POST', '/oauth-application/retrieve-authorization-code', { headers: basicClient(app.clientId, secret), form: { id: grantId, nonce: 'nonce-after-rotation' } });
      expect(code.status).toBe(200);
    });

    it("revokes one application's access at once, leaving the profile's other applications untouched", async () => {
      const client = gateway();
      const app = await registeredApplication(client, 'profile:read,oauth-app:read,oauth-app:write');
      const flow = await codeFlow(client, app, ['profile:read', 'oauth-app:read', 'oauth-app:write']);
      const second = await client.request('POST', '/profile/oauth-application-register', {
        headers: bearer(flow.accessToken),
        form: { name: 'Second app', redirectUri: 'https://second.example/cb', scopes: 'profile:read' },
      });
      expect(second.status).toBe(202);
      const secondId = String(second.body.commandId);
      expect((await client.waitForCommand(secondId)).body.status).toBe('succeeded');
      const secondConfiguration = await client.request('POST', '/profile/retrieve-oauth-application-configuration', { headers: profileAuth(app.profileToken), form: { applicationId: secondId } });
      const secondApp = { ...app, applicationId: secondId, clientId: String(secondConfiguration.body.clientId), clientSecret: String(secondConfiguration.body.clientSecret) };
      const secondFlow = await codeFlow(client, secondApp);

      const revoke = await client.request('POST', '/profile/oauth-application-revoke', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId } });
      expect((await client.waitForCommand(String(revoke.body.commandId))).body.status).toBe('succeeded');
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: bearer(flow.accessToken) })).status).toBe(401);
      expect((await client.request('GET', '/oauth-application/retrieve-oauth-application-scope', { headers: basicToken(flow.accessToken) })).status).toBe(401);
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: bearer(secondFlow.accessToken) })).status).toBe(200);
      const list = await client.request<{ applicationId: string; status: string }[]>('GET', '/profile/retrieve-oauth-application-list', { headers: profileAuth(app.profileToken) });
      expect(list.body.map((a) => [a.applicationId, a.status])).toEqual([
        [app.applicationId, 'revoked'],
        [secondId, 'active'],
      ]);
    });

    it('reports usage and an audit trail of calls and changes, paged', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const flow = await codeFlow(client, app);
      for (let n = 0; n < 3; n += 1) await client.request('GET', '/profile/retrieve-profile-id', { headers: bearer(flow.accessToken) });
      await client.request('GET', '/profile/retrieve-oauth-application-list', { headers: bearer(flow.accessToken) });
      await client.request('POST', '/oauth-application/refresh-access-token', { headers: basicToken(flow.accessToken), form: { refresh_token: flow.refreshToken } });
      const usage = await client.request('GET', `/profile/oauth-application-usage?applicationId=${app.applicationId}`, { headers: profileAuth(app.profileToken) });
      expect(usage.body).toMatchObject({ applicationId: app.applicationId, tokensIssued: 1, tokensRefreshed: 1, tokensRevoked: 0, callsMade: 4, lastUsedAt: expect.stringMatching(/\+00:00$/) });

      const audit = await client.request<{ items: Record<string, unknown>[]; nextCursor: string | null }>('GET', `/profile/oauth-application-audit?applicationId=${app.applicationId}`, { headers: profileAuth(app.profileToken) });
      expect(audit.status).toBe(200);
      const calls = audit.body.items.filter((item) => item.kind === 'call');
      expect(calls.map((call) => [call.route, call.status])).toEqual([
        ['/profile/retrieve-profile-id', 200],
        ['/profile/retrieve-profile-id', 200],
        ['/profile/retrieve-profile-id', 200],
        ['/profile/retrieve-oauth-application-list', 403],
      ]);
      const changes = audit.body.items.filter((item) => item.kind === 'change').map((item) => item.type);
      expect(changes).toEqual(expect.arrayContaining(['OAuthApplicationRegistered', 'ClientCredentialsRevealed', 'AuthorizationCodeRequested', 'AccessTokenIssued']));
      expect(JSON.stringify(audit.body)).not.toContain(flow.accessToken);
      expect(JSON.stringify(audit.body)).not.toMatch(/Hash/);
    });
  });
}
