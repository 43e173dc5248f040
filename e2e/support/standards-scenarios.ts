import * as oidc from 'openid-client';
import { GatewayClient } from './client';
import { registeredApplication, type RegisteredApplication } from './oauth-scenarios';
import { registeredProfile } from './token-scenarios';

const REDIRECT = 'https://printer.example/callback';

async function discover(client: GatewayClient, app: Pick<RegisteredApplication, 'clientId' | 'clientSecret'>, auth: oidc.ClientAuth) {
  return oidc.discovery(new URL(client.baseUrl), app.clientId, undefined, auth, { algorithm: 'oauth2', execute: [oidc.allowInsecureRequests] });
}

/** Consent through the API: the profile's own token on /oauth/authorize, following nothing. */
async function authorize(config: oidc.Configuration, profileToken: string, params: Record<string, string>): Promise<Response> {
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, ...params });
  return fetch(url, { headers: { 'x-dpt-authorization': profileToken }, redirect: 'manual' });
}

async function pkceCodeFlow(config: oidc.Configuration, profileToken: string, scope = 'profile:read') {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const answer = await authorize(config, profileToken, { scope, state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  expect(answer.status).toBe(302);
  const location = new URL(String(answer.headers.get('location')));
  const tokens = await oidc.authorizationCodeGrant(config, location, { pkceCodeVerifier: verifier, expectedState: state });
  return { tokens, location, verifier };
}

const oauthError = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    return String((error as { error?: string; code?: string }).error ?? (error as Error).message);
  }
  return 'no error';
};

/** The standards dialect driven by an unmodified openid-client, plus the refusals of DESIGN §5. */
export function describeStandardsScenarios(name: string, gateway: () => GatewayClient): void {
  describe(`${name}: OAuth 2 standards dialect with openid-client`, () => {
    it('publishes an OpenAPI 3 document of both dialects, generated from the validating DTOs, and Swagger UI', async () => {
      const client = gateway();
      const document = await client.request<{ openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties: Record<string, unknown> }> } }>('GET', '/openapi.json');
      expect(document.body.openapi).toMatch(/^3\./);
      expect(Object.keys(document.body.paths)).toEqual(
        expect.arrayContaining(['/profile/register-profile', '/request-status/{commandId}', '/oauth-application/obtain-access-token', '/oauth/token', '/oauth/authorize', '/oauth/introspect', '/oauth/revoke', '/o/apps', '/o/apps/{id}', '/.well-known/oauth-authorization-server']),
      );
      expect(document.body.components.schemas.RegisterProfileDto.properties.username).toMatchObject({ minLength: 3, maxLength: 64 });
      const ui = await fetch(`${client.baseUrl}/docs`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('Swagger UI');
    });

    it('discovers the server (RFC 8414) and its keys', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const config = await discover(client, app, oidc.ClientSecretBasic(app.clientSecret));
      const metadata = config.serverMetadata();
      expect(metadata).toMatchObject({
        issuer: client.baseUrl,
        token_endpoint: `${client.baseUrl}/oauth/token`,
        authorization_endpoint: `${client.baseUrl}/oauth/authorize`,
        introspection_endpoint: `${client.baseUrl}/oauth/introspect`,
        revocation_endpoint: `${client.baseUrl}/oauth/revoke`,
        code_challenge_methods_supported: ['S256'],
        grant_types_supported: expect.arrayContaining(['authorization_code', 'client_credentials', 'refresh_token']),
        token_endpoint_auth_methods_supported: expect.arrayContaining(['client_secret_basic', 'client_secret_post']),
      });
      const jwks = (await (await fetch(String(metadata.jwks_uri))).json()) as { keys: { kid: string; alg: string }[] };
      expect(jwks.keys[0]).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
    });

    it('runs the code flow with PKCE (client_secret_basic), refresh, introspection and revocation; the Privicore dialect sees the same tokens', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const config = await discover(client, app, oidc.ClientSecretBasic(app.clientSecret));
      const { tokens } = await pkceCodeFlow(config, app.profileToken);
      expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'profile:read', refresh_token: expect.any(String), expires_in: expect.any(Number) });
      const who = await client.request('GET', '/profile/retrieve-profile-id', { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(who.body).toEqual({ profileId: app.profileId });
      const privicoreScope = await client.request('GET', '/oauth-application/retrieve-oauth-application-scope', { headers: { authorization: `Basic ${tokens.access_token}` } });
      expect(privicoreScope.body).toEqual({ clientId: app.clientId, scope: ['profile:read'] });

      const introspected = await oidc.tokenIntrospection(config, tokens.access_token);
      expect(introspected).toMatchObject({ active: true, client_id: app.clientId, sub: app.profileId, scope: 'profile:read', token_type: 'Bearer' });
      expect(await oidc.tokenIntrospection(config, tokens.refresh_token!)).toMatchObject({ active: true, token_type: 'refresh_token' });

      const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
      expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
      expect(await oidc.tokenIntrospection(config, tokens.refresh_token!)).toEqual({ active: false });
      expect(await oauthError(oidc.refreshTokenGrant(config, tokens.refresh_token!))).toBe('invalid_grant');
      expect(await oidc.tokenIntrospection(config, refreshed.access_token)).toEqual({ active: false });
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: { authorization: `Bearer ${refreshed.access_token}` } })).status).toBe(401);

      const again = await pkceCodeFlow(config, app.profileToken);
      await oidc.tokenRevocation(config, again.tokens.refresh_token!);
      expect(await oidc.tokenIntrospection(config, again.tokens.access_token)).toEqual({ active: false });
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: { authorization: `Bearer ${again.tokens.access_token}` } })).status).toBe(401);
    });

    it('issues client_credentials tokens (client_secret_post) within the application’s scopes, acting as the application', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const config = await discover(client, app, oidc.ClientSecretPost(app.clientSecret));
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'oauth-app:read' });
      expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'oauth-app:read' });
      expect(tokens.refresh_token).toBeUndefined();
      expect(await oidc.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: true, sub: app.clientId, client_id: app.clientId });
      const onProfileData = await client.request('GET', '/profile/retrieve-oauth-application-list', { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(onProfileData.status).toBe(403);
      expect(await oauthError(oidc.clientCredentialsGrant(config, { scope: 'oauth-app:write' }))).toBe('invalid_scope');
      await oidc.tokenRevocation(config, tokens.access_token);
      expect(await oidc.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
    });

    it('serves a public client with PKCE and no secret, and requires PKCE from it', async () => {
      const client = gateway();
      const app = await registeredApplication(client, 'profile:read', { clientType: 'public' });
      expect(app.clientSecret).toBe('null');
      const config = await discover(client, app, oidc.None());
      const { tokens } = await pkceCodeFlow(config, app.profileToken);
      expect((await client.request('GET', '/profile/retrieve-profile-id', { headers: { authorization: `Bearer ${tokens.access_token}` } })).body).toEqual({ profileId: app.profileId });
      const withoutPkce = await authorize(config, app.profileToken, { scope: 'profile:read', state: 'st-1' });
      const location = new URL(String(withoutPkce.headers.get('location')));
      expect([withoutPkce.status, location.searchParams.get('error'), location.searchParams.get('state')]).toEqual([302, 'invalid_request', 'st-1']);
      expect(await oauthError(oidc.clientCredentialsGrant(config))).toBe('unauthorized_client');
    });

    it('refuses a wrong secret, a wrong verifier, a replayed code, a mismatched redirect URI and an excessive scope', async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const good = await discover(client, app, oidc.ClientSecretBasic(app.clientSecret));
      const wrongSecret = await fetch(`${client.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${app.clientId}:nope`).toString('base64')}` },
        body: 'grant_type=client_credentials',
      });
      expect(wrongSecret.status).toBe(401);
      expect(wrongSecret.headers.get('www-authenticate')).toContain('Basic');
      expect(await wrongSecret.json()).toMatchObject({ error: 'invalid_client' });

      const verifier = oidc.randomPKCECodeVerifier();
      const issue = async () => {
        const state = oidc.randomState();
        const answer = await authorize(good, app.profileToken, { scope: 'profile:read', state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
        return { location: new URL(String(answer.headers.get('location'))), state };
      };
      const first = await issue();
      expect(await oauthError(oidc.authorizationCodeGrant(good, first.location, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: first.state }))).toBe('invalid_grant');
      // A wrong verifier does not burn the code.
      const tokens = await oidc.authorizationCodeGrant(good, first.location, { pkceCodeVerifier: verifier, expectedState: first.state });
      expect(await oauthError(oidc.authorizationCodeGrant(good, first.location, { pkceCodeVerifier: verifier, expectedState: first.state }))).toBe('invalid_grant');
      expect(await oidc.tokenIntrospection(good, tokens.access_token)).toEqual({ active: false });

      const second = await issue();
      const code = String(second.location.searchParams.get('code'));
      const mismatch = await fetch(`${client.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:3000/cb', code_verifier: verifier }).toString(),
      });
      expect([mismatch.status, ((await mismatch.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);

      const unregistered = await fetch(oidc.buildAuthorizationUrl(good, { redirect_uri: 'https://evil.example/cb', scope: 'profile:read' }), {
        headers: { 'x-dpt-authorization': app.profileToken },
        redirect: 'manual',
      });
      expect([unregistered.status, unregistered.headers.get('location')]).toEqual([400, null]);
      const unknownClient = await fetch(`${client.baseUrl}/oauth/authorize?response_type=code&client_id=unknown&redirect_uri=${encodeURIComponent(REDIRECT)}`, { redirect: 'manual' });
      expect([unknownClient.status, unknownClient.headers.get('location')]).toEqual([400, null]);

      const escalation = await authorize(good, app.profileToken, { scope: 'oauth-app:write', state: 'st-2', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      const escalated = new URL(String(escalation.headers.get('location')));
      expect([escalated.searchParams.get('error'), escalated.searchParams.get('state')]).toEqual(['invalid_scope', 'st-2']);
    });

    it("introspects tokens of the same profile's applications, never another profile's; revokes only its own", async () => {
      const client = gateway();
      const app = await registeredApplication(client);
      const sibling = await client.request('POST', '/o/apps/', { headers: { 'x-dpt-authorization': app.profileToken }, json: { name: 'Sibling' } });
      expect(sibling.status).toBe(201);
      const siblingConfig = await discover(client, { clientId: String(sibling.body.client_id), clientSecret: String(sibling.body.client_secret) }, oidc.ClientSecretBasic(String(sibling.body.client_secret)));
      const stranger = await registeredApplication(client);
      const strangerConfig = await discover(client, stranger, oidc.ClientSecretBasic(stranger.clientSecret));
      const config = await discover(client, app, oidc.ClientSecretBasic(app.clientSecret));
      const { tokens } = await pkceCodeFlow(config, app.profileToken);

      expect(await oidc.tokenIntrospection(siblingConfig, tokens.access_token)).toMatchObject({ active: true, client_id: app.clientId });
      expect(await oidc.tokenIntrospection(strangerConfig, tokens.access_token)).toEqual({ active: false });
      await oidc.tokenRevocation(strangerConfig, tokens.access_token);
      await oidc.tokenRevocation(siblingConfig, tokens.refresh_token!);
      expect(await oidc.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: true });
    });

    it('/o/apps/: list, create synchronously, delete with every token inactive at once, errors in the envelope', async () => {
      const client = gateway();
      const profile = await registeredProfile(client);
      const auth = { 'x-dpt-authorization': profile.token };
      const created = await client.request('POST', '/o/apps/', { headers: auth, json: { name: 'Seed app' } });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(String), client_id: expect.any(String), client_secret: expect.any(String) });
      const list = await client.request<unknown[]>('GET', '/o/apps/', { headers: auth });
      expect(list.body).toEqual([{ id: created.body.id, name: 'Seed app', client_id: created.body.client_id, client_type: 'confidential' }]);

      const config = await discover(client, { clientId: String(created.body.client_id), clientSecret: String(created.body.client_secret) }, oidc.ClientSecretBasic(String(created.body.client_secret)));
      const tokens = await oidc.clientCredentialsGrant(config);
      expect(tokens.scope).toBe('read write');
      const other = await client.request('POST', '/o/apps/', { headers: auth, json: { name: 'Observer' } });
      const observer = await discover(client, { clientId: String(other.body.client_id), clientSecret: String(other.body.client_secret) }, oidc.ClientSecretBasic(String(other.body.client_secret)));
      expect(await oidc.tokenIntrospection(observer, tokens.access_token)).toMatchObject({ active: true });

      const deleted = await client.request('DELETE', `/o/apps/${created.body.id}/`, { headers: auth });
      expect(deleted.status).toBe(204);
      expect(await oidc.tokenIntrospection(observer, tokens.access_token)).toEqual({ active: false });
      expect((await client.request<unknown[]>('GET', '/o/apps/', { headers: auth })).body).toHaveLength(1);

      const notFound = await client.request('DELETE', `/o/apps/${created.body.id}/`, { headers: auth });
      expect(notFound).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: expect.any(String), details: {} } } });
      const invalid = await client.request('POST', '/o/apps/', { headers: auth, json: { name: '' } });
      expect(invalid).toMatchObject({ status: 400, body: { error: { code: 'validation_error', details: expect.any(Object) } } });
      const anonymous = await client.request('GET', '/o/apps/');
      expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
      const readOnly = await oidc.clientCredentialsGrant(observer, { scope: 'read' });
      // A client_credentials token acts as the application, not for the profile: refused.
      expect((await client.request('GET', '/o/apps/', { headers: { authorization: `Bearer ${readOnly.access_token}` } })).body).toMatchObject({ error: { code: 'forbidden' } });
    });
  });
}
