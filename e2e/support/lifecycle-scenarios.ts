import { type Answer, GatewayClient } from './client';
import { codeFlow, registeredApplication, type RegisteredApplication } from './oauth-scenarios';
import { registeredProfile } from './token-scenarios';

const profileAuth = (token: string) => ({ 'x-dpt-authorization': token });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (clientId: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` });

type Method = 'basic' | 'post';

/** A client_credentials token request with `secret`, by client_secret_basic or client_secret_post. */
const tokenRequest = (client: GatewayClient, clientId: string, secret: string, method: Method): Promise<Answer> =>
  method === 'basic'
    ? client.request('POST', '/oauth/token', { headers: basic(clientId, secret), form: { grant_type: 'client_credentials' } })
    : client.request('POST', '/oauth/token', { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret } });

/** What each client-authenticating route answers to `secret`: 401 means the secret was refused. */
async function statusesWith(client: GatewayClient, clientId: string, secret: string): Promise<Record<string, number>> {
  const token = await tokenRequest(client, clientId, secret, 'basic');
  const post = await tokenRequest(client, clientId, secret, 'post');
  const someToken = String(token.body.access_token ?? 'x.y.z');
  const introspect = await client.request('POST', '/oauth/introspect', { headers: basic(clientId, secret), form: { token: someToken } });
  const revoke = await client.request('POST', '/oauth/revoke', { form: { token: 'not-a-token', client_id: clientId, client_secret: secret } });
  const privicore = await client.request('POST', '/oauth-application/retrieve-authorization-code', {
    headers: basic(clientId, secret),
    form: { id: '00000000-0000-7000-8000-000000000000', nonce: 'none' },
  });
  return { tokenBasic: token.status, tokenPost: post.status, introspect: introspect.status, revoke: revoke.status, privicore: privicore.status === 401 ? 401 : 200 };
}

const ACCEPTED = { tokenBasic: 200, tokenPost: 200, introspect: 200, revoke: 200, privicore: 200 };
const REFUSED = { tokenBasic: 401, tokenPost: 401, introspect: 401, revoke: 401, privicore: 401 };

async function succeeded(client: GatewayClient, answer: Answer, token: string): Promise<void> {
  expect(answer.status).toBe(202);
  expect((await client.waitForCommand(String(answer.body.commandId), token)).body).toMatchObject({ status: 'succeeded' });
}

async function rotate(client: GatewayClient, app: RegisteredApplication, form: Record<string, string> = {}): Promise<string> {
  const answer = await client.request('POST', '/profile/oauth-application-rotate-secret', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId, ...form } });
  await succeeded(client, answer, app.profileToken);
  const configuration = await client.request('POST', '/profile/retrieve-oauth-application-configuration', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId } });
  expect(configuration.status).toBe(200);
  return String(configuration.body.clientSecret);
}

async function createdApp(client: GatewayClient, profileToken: string): Promise<{ id: string; clientId: string; secret: string }> {
  const created = await client.request('POST', '/o/apps/', { headers: profileAuth(profileToken), json: { name: 'Seed app' } });
  expect(created.status).toBe(201);
  return { id: String(created.body.id), clientId: String(created.body.client_id), secret: String(created.body.client_secret) };
}

/** DESIGN §8: secret rotation with overlap and application updates, in both dialects. */
export function describeLifecycleScenarios(name: string, gateway: () => GatewayClient): void {
  describe(`${name}: application lifecycle — rotation with overlap, retirement, updates`, () => {
    it('a client that switches secrets during the grace period never sees a failed token request', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      let current = app.clientSecret;
      let stop = false;
      const failures: number[] = [];
      let requests = 0;
      const traffic = (async () => {
        for (let i = 0; !stop && i < 400; i += 1) {
          const answer = await tokenRequest(client, app.clientId, current, i % 2 ? 'basic' : 'post');
          requests += 1;
          if (answer.status !== 200) failures.push(answer.status);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();

      const rotateAnswer = await client.request('POST', '/profile/oauth-application-rotate-secret', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId } });
      await succeeded(client, rotateAnswer, app.profileToken);
      expect(await statusesWith(client, app.clientId, app.clientSecret)).toEqual(ACCEPTED);
      const configuration = await client.request('POST', '/profile/retrieve-oauth-application-configuration', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId } });
      expect(configuration.status).toBe(200);
      const next = String(configuration.body.clientSecret);
      expect(next).not.toBe(app.clientSecret);
      current = next;
      expect(await statusesWith(client, app.clientId, next)).toEqual(ACCEPTED);
      expect(await statusesWith(client, app.clientId, app.clientSecret)).toEqual(ACCEPTED);
      // The Privicore code flow with the previous secret, end to end.
      await codeFlow(client, app);
      stop = true;
      await traffic;
      expect(requests).toBeGreaterThan(0);
      expect(failures).toEqual([]);

      const retire = await client.request('POST', '/profile/oauth-application-retire-secret', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId } });
      await succeeded(client, retire, app.profileToken);
      expect(await statusesWith(client, app.clientId, app.clientSecret)).toEqual(REFUSED);
      expect(await statusesWith(client, app.clientId, next)).toEqual(ACCEPTED);
      await codeFlow(client, { ...app, clientSecret: next });
      const again = await client.request('POST', '/profile/oauth-application-retire-secret', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId } });
      await succeeded(client, again, app.profileToken);
    });

    it('graceSeconds=0 refuses the old secret at once; the grace period is bounded', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const next = await rotate(client, app, { graceSeconds: '0' });
      expect(await statusesWith(client, app.clientId, app.clientSecret)).toEqual(REFUSED);
      expect(await statusesWith(client, app.clientId, next)).toEqual(ACCEPTED);
      for (const graceSeconds of ['604801', '-1', 'soon', '1.5', '', '0x10', ' 100 ', '1e5']) {
        const answer = await client.request('POST', '/profile/oauth-application-rotate-secret', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId, graceSeconds } });
        expect([answer.status, answer.body.error]).toEqual([400, 'validation_error']);
      }
      expect(await statusesWith(client, app.clientId, next)).toEqual(ACCEPTED);
    });

    it('rotating twice before reading keeps the secret clients still use', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      for (let i = 0; i < 2; i += 1) {
        const answer = await client.request('POST', '/profile/oauth-application-rotate-secret', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId, graceSeconds: '600' } });
        await succeeded(client, answer, app.profileToken);
      }
      expect(await statusesWith(client, app.clientId, app.clientSecret)).toEqual(ACCEPTED);
    });

    it('/o/apps/{id}/secret/: 201 with the new secret and the end of the overlap; DELETE …/previous/ retires it', async () => {
      const client = gateway();
      const { token } = await registeredProfile(client);
      const app = await createdApp(client, token);
      const before = Date.now();
      const rotated = await client.request('POST', `/o/apps/${app.id}/secret/`, { headers: profileAuth(token), json: { grace_seconds: 3600 } });
      expect(rotated.status).toBe(201);
      expect(rotated.headers.get('cache-control')).toContain('no-store');
      const next = String(rotated.body.client_secret);
      expect(next).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const expiresAt = Date.parse(String(rotated.body.previous_secret_expires_at));
      expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3_600_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
      expect(await statusesWith(client, app.clientId, app.secret)).toEqual(ACCEPTED);
      expect(await statusesWith(client, app.clientId, next)).toEqual(ACCEPTED);

      const retired = await client.request('DELETE', `/o/apps/${app.id}/secret/previous/`, { headers: profileAuth(token) });
      expect(retired.status).toBe(204);
      expect(await statusesWith(client, app.clientId, app.secret)).toEqual(REFUSED);
      expect(await statusesWith(client, app.clientId, next)).toEqual(ACCEPTED);

      const immediate = await client.request('POST', `/o/apps/${app.id}/secret/?grace_seconds=0`, { headers: profileAuth(token) });
      expect(immediate.status).toBe(201);
      expect(immediate.body.previous_secret_expires_at).toBeNull();
      expect(await statusesWith(client, app.clientId, next)).toEqual(REFUSED);
      expect(await statusesWith(client, app.clientId, String(immediate.body.client_secret))).toEqual(ACCEPTED);

      const bad = await client.request('POST', `/o/apps/${app.id}/secret/`, { headers: profileAuth(token), json: { grace_seconds: 604_801 } });
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'validation_error' } } });
      // An empty or odd grace period is refused, not read as 0 (which would cut the current secret off).
      for (const [query, json] of [['?grace_seconds=', undefined], ['', { grace_seconds: true }], ['', { grace_seconds: '0x10' }], ['', { grace_seconds: null }]] as const) {
        const odd = await client.request('POST', `/o/apps/${app.id}/secret/${query}`, { headers: profileAuth(token), ...(json ? { json } : {}) });
        expect([query, JSON.stringify(json), odd.status, (odd.body.error as { code?: string })?.code]).toEqual([query, JSON.stringify(json), 400, 'validation_error']);
      }
      expect(await statusesWith(client, app.clientId, String(immediate.body.client_secret))).toEqual(ACCEPTED);
    });

    it('updates an application in the Privicore dialect, validated as at registration', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const update = await client.request('POST', '/profile/oauth-application-update', {
        headers: profileAuth(app.profileToken),
        form: { applicationId: app.applicationId, name: 'Renamed', redirectUri: 'https://new.example/a,https://new.example/b', scopes: 'profile:read', accessTokenTtl: '120' },
      });
      await succeeded(client, update, app.profileToken);
      const list = await client.request<Record<string, unknown>[]>('GET', '/profile/retrieve-oauth-application-list', { headers: profileAuth(app.profileToken) });
      expect(list.body).toEqual([
        expect.objectContaining({ applicationId: app.applicationId, name: 'Renamed', redirectUris: ['https://new.example/a', 'https://new.example/b'], scopes: ['profile:read'] }),
      ]);
      const flow = await codeFlow(client, app);
      const lifetime = (Date.parse(String(flow.tokens.body.expiresAt)) - Date.now()) / 1000;
      expect(lifetime).toBeLessThanOrEqual(121);

      const cases: Record<string, string>[] = [
        {},
        { redirectUri: 'http://evil.example/cb' },
        { redirectUri: 'https://ok.example/cb#fragment' },
        { scopes: 'profile:read,everything' },
        { scopes: '' },
        { name: '' },
        { accessTokenTtl: '99999' },
        { refreshTokenTtl: '10' },
      ];
      for (const form of cases) {
        const answer = await client.request('POST', '/profile/oauth-application-update', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId, ...form } });
        expect([JSON.stringify(form), answer.status, answer.body.error]).toEqual([JSON.stringify(form), 400, 'validation_error']);
      }
      // JSON null is not "left out": a null name once reached the event and held the application's read model behind it.
      for (const json of [{ name: null }, { accessTokenTtl: null }, { scopes: null }, { redirectUri: null }]) {
        const answer = await client.request('POST', '/profile/oauth-application-update', { headers: profileAuth(app.profileToken), json: { applicationId: app.applicationId, ...json } });
        expect([JSON.stringify(json), answer.status, answer.body.error]).toEqual([JSON.stringify(json), 400, 'validation_error']);
      }
      const again = await client.request('POST', '/profile/oauth-application-update', { headers: profileAuth(app.profileToken), json: { applicationId: app.applicationId, name: 'Renamed again' } });
      await succeeded(client, again, app.profileToken);
      const after = await client.request<Record<string, unknown>[]>('GET', '/profile/retrieve-oauth-application-list', { headers: profileAuth(app.profileToken) });
      expect(after.body).toEqual([expect.objectContaining({ name: 'Renamed again', redirectUris: ['https://new.example/a', 'https://new.example/b'], scopes: ['profile:read'] })]);
    });

    it('PATCH /o/apps/{id}/ answers the updated application', async () => {
      const client = gateway();
      const { token } = await registeredProfile(client);
      const app = await createdApp(client, token);
      const patched = await client.request('PATCH', `/o/apps/${app.id}/`, {
        headers: profileAuth(token),
        json: { name: 'Patched', redirect_uris: ['https://patched.example/cb', 'http://127.0.0.1:8000/cb'], scope: 'read oauth-app:write' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({
        id: app.id,
        name: 'Patched',
        client_id: app.clientId,
        client_type: 'confidential',
        redirect_uris: ['https://patched.example/cb', 'http://127.0.0.1:8000/cb'],
        scope: 'read oauth-app:write',
      });
      const nameOnly = await client.request('PATCH', `/o/apps/${app.id}`, { headers: profileAuth(token), json: { name: 'Only the name' } });
      expect(nameOnly.body).toMatchObject({ name: 'Only the name', scope: 'read oauth-app:write', redirect_uris: ['https://patched.example/cb', 'http://127.0.0.1:8000/cb'] });
      const refused = [{}, { redirect_uris: 'https://x.example/cb' }, { redirect_uris: ['ftp://x.example'] }, { scope: 'read nope' }, { scope: '' }, { name: null }, { scope: null }, { redirect_uris: null },
        { name: '   ' }, { name: '\u200b' }, { name: 'evil\u202egnp.exe' }, { name: 'a\u0007b' }, { redirect_uris: ['https://a.example/c b'] }];
      for (const json of refused) {
        const answer = await client.request('PATCH', `/o/apps/${app.id}/`, { headers: profileAuth(token), json });
        expect([JSON.stringify(json), answer.status, (answer.body.error as { code?: string })?.code]).toEqual([JSON.stringify(json), 400, 'validation_error']);
      }
      const after = await client.request('PATCH', `/o/apps/${app.id}/`, { headers: profileAuth(token), json: { name: 'After the refusals' } });
      expect(after).toMatchObject({ status: 200, body: { name: 'After the refusals', scope: 'read oauth-app:write', redirect_uris: ['https://patched.example/cb', 'http://127.0.0.1:8000/cb'] } });
    });

    it('narrowing the scopes refuses an existing token’s removed scope at once; introspection shows what remains', async () => {
      const client = gateway();
      const app = await registeredApplication(client, 'profile:read,oauth-app:read,oauth-app:write');
      const flow = await codeFlow(client, app, ['profile:read', 'oauth-app:read']);
      const introspect = () => client.request('POST', '/oauth/introspect', { headers: basic(app.clientId, app.clientSecret), form: { token: flow.accessToken } });
      const list = () => client.request('GET', '/profile/retrieve-oauth-application-list', { headers: bearer(flow.accessToken) });
      const profileId = () => client.request('GET', '/profile/retrieve-profile-id', { headers: bearer(flow.accessToken) });
      expect((await list()).status).toBe(200);

      const narrow = await client.request('POST', '/profile/oauth-application-update', { headers: profileAuth(app.profileToken), form: { applicationId: app.applicationId, scopes: 'profile:read' } });
      await succeeded(client, narrow, app.profileToken);
      expect((await list()).status).toBe(403);
      expect((await profileId()).status).toBe(200);
      expect((await introspect()).body).toMatchObject({ active: true, scope: 'profile:read' });
      const scopeRoute = await client.request('GET', '/oauth-application/retrieve-oauth-application-scope', { headers: { authorization: `Basic ${flow.accessToken}` } });
      expect(scopeRoute.body).toEqual({ clientId: app.clientId, scope: ['profile:read'] });
      const refreshIntrospection = await client.request('POST', '/oauth/introspect', { headers: basic(app.clientId, app.clientSecret), form: { token: flow.refreshToken } });
      expect(refreshIntrospection.body).toMatchObject({ active: true, scope: 'profile:read' });

      const away = await client.request('PATCH', `/o/apps/${app.applicationId}/`, { headers: profileAuth(app.profileToken), json: { scope: 'oauth-app:write' } });
      expect(away.status).toBe(200);
      expect((await profileId()).status).toBe(403);
      expect((await introspect()).body).toEqual({ active: false });
    });

    it("another profile's application is not found, in both dialects", async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const other = await registeredProfile(client);
      const privicore: [string, Record<string, string>][] = [
        ['/profile/oauth-application-rotate-secret', { applicationId: app.applicationId }],
        ['/profile/oauth-application-retire-secret', { applicationId: app.applicationId }],
        ['/profile/oauth-application-update', { applicationId: app.applicationId, name: 'Mine now' }],
      ];
      for (const [path, form] of privicore) {
        const answer = await client.request('POST', path, { headers: profileAuth(other.token), form });
        expect([path, answer.status, answer.body.error]).toEqual([path, 404, 'oauth.application_not_found']);
      }
      const seed: [string, string, unknown][] = [
        ['POST', `/o/apps/${app.applicationId}/secret/`, undefined],
        ['DELETE', `/o/apps/${app.applicationId}/secret/previous/`, undefined],
        ['PATCH', `/o/apps/${app.applicationId}/`, { name: 'Mine now' }],
      ];
      for (const [method, path, json] of seed) {
        const answer = await client.request(method, path, { headers: profileAuth(other.token), json });
        expect([method, path, answer.status, (answer.body.error as { code?: string })?.code]).toEqual([method, path, 404, 'not_found']);
      }
      expect(await statusesWith(client, app.clientId, app.clientSecret)).toEqual(ACCEPTED);
      const list = await client.request<Record<string, unknown>[]>('GET', '/profile/retrieve-oauth-application-list', { headers: profileAuth(app.profileToken) });
      expect(list.body[0]).toMatchObject({ name: 'Photo printer' });
    });
  });
}
