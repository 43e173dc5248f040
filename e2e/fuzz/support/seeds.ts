import { randomBytes } from 'node:crypto';
import { type Answer, GatewayClient, randomUsername } from '../../support/client';
import { hiddenField } from '../../support/pages';

const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'https://printer.example/callback';
const profileAuth = (token: string) => ({ 'x-dpt-authorization': token });
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
const cursor = (text: string) => Buffer.from(text).toString('base64url');

function expectStatus(answer: Answer, status: number, step: string): Answer {
  if (answer.status !== status) throw new Error(`seeding: ${step} answered ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

/**
 * Real data for the fuzzer to use, so that authenticated cases reach the code behind authentication:
 * a profile and its token, a confidential and a public application, a code flow's tokens, a used and a
 * fresh code, a QR token, a client_credentials token and a pending browser login. For the requests
 * that succeed once (see good-requests.ts): an application whose configuration was never retrieved, a
 * code request whose code was never retrieved, and a signed-in browser login waiting for consent.
 */
export class Seeds {
  values: Record<string, string> = {};
  created = 0;

  constructor(private readonly client: () => GatewayClient) {}

  async create(): Promise<void> {
    const client = this.client();
    const username = randomUsername('fuzz');
    const registration = expectStatus((await client.register(username, PASSWORD)).answer, 202, 'register-profile');
    await this.succeeded(client, String(registration.body.commandId), undefined, 'register-profile');
    const profileToken = String(expectStatus(await client.authenticate(username, PASSWORD), 200, 'authenticate').body.authorizationToken);
    const profileId = String(expectStatus(await client.request('GET', '/profile/retrieve-profile-id', { headers: profileAuth(profileToken) }), 200, 'retrieve-profile-id').body.profileId);

    const [app, publicApp] = await Promise.all([
      this.application(client, profileToken, { name: 'Fuzz printer', redirectUri: [REDIRECT_URI, 'http://localhost:3000/cb'], scopes: 'all' }),
      this.application(client, profileToken, { name: 'Public fuzz client', redirectUri: 'http://localhost:3000/cb', scopes: 'profile:read', clientType: 'public' }),
    ]);

    const client1 = basic(app.clientId, app.clientSecret);
    const query = new URLSearchParams({ response_type: 'code', client_id: app.clientId, redirect_uri: REDIRECT_URI, state: 's' });
    const [used, fresh, pending, spareApplicationId, credentials, qr, login, consent] = await Promise.all([
      this.code(client, profileToken, app.clientId, client1),
      this.code(client, profileToken, app.clientId, client1),
      this.codeRequest(client, profileToken, app.clientId),
      this.registered(client, profileToken, { name: 'Spare fuzz app', redirectUri: REDIRECT_URI, scopes: 'profile:read' }),
      client.request('POST', '/oauth/token', { headers: client1, form: { grant_type: 'client_credentials' } }),
      client.request('POST', '/profile/generate-token-qr', { headers: profileAuth(profileToken) }),
      fetch(`${client.baseUrl}/oauth/authorize?${query}`),
      this.signedInLogin(client, username, app.clientId),
    ]);
    const tokens = expectStatus(await client.request('POST', '/oauth-application/obtain-access-token', { headers: client1, form: { authorization_code: used.code } }), 200, 'obtain-access-token');
    expectStatus(credentials, 200, 'client_credentials');
    expectStatus(qr, 200, 'generate-token-qr');
    const page = await login.text();

    this.values = {
      username,
      password: PASSWORD,
      newPassword: `a brand new passphrase ${randomBytes(4).toString('hex')}`,
      profileToken,
      profileId,
      registrationCommandId: String(registration.body.commandId),
      applicationId: app.applicationId,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      otherApplicationId: publicApp.applicationId,
      publicClientId: publicApp.clientId,
      grantId: used.grantId,
      freshGrantId: fresh.grantId,
      pendingGrantId: pending.grantId,
      pendingNonce: pending.nonce,
      spareApplicationId,
      nonce: used.nonce,
      freshNonce: `nonce-${randomBytes(12).toString('base64url')}`,
      usedCode: used.code,
      freshCode: fresh.code,
      accessToken: String(tokens.body.token),
      refreshToken: String(tokens.body.refreshToken),
      clientCredentialsToken: String(credentials.body.access_token),
      qrToken: String(qr.body.qrToken),
      loginRequestId: hiddenField(page, 'request_id'),
      loginCsrf: hiddenField(page, 'csrf_token'),
      loginCookie: login.headers.get('set-cookie')?.match(/oauth_authz=([^;]*)/)?.[1] ?? '',
      ...consent,
      redirectUri: REDIRECT_URI,
      scopeList: 'profile:read',
      approve: 'approve',
      grantAuthorizationCode: 'authorization_code',
      grantClientCredentials: 'client_credentials',
      grantRefreshToken: 'refresh_token',
      responseTypeCode: 'code',
      codeVerifier: randomBytes(32).toString('base64url'),
      auditCursor: cursor('2020-01-01T00:00:00.000Z|1'),
      auditCursorHugeId: cursor('2020-01-01T00:00:00.000Z|99999999999999999999999'),
      auditCursorOddDate: cursor('1|1'),
    };
    this.created++;
  }

  /** True while the profile token, the access token and the client credentials still work. */
  async usable(): Promise<boolean> {
    if (!this.values.profileToken) return false;
    const client = this.client();
    const [profile, scope, introspect] = await Promise.all([
      client.request('GET', '/profile/retrieve-profile-id', { headers: profileAuth(this.values.profileToken) }),
      client.request('GET', '/oauth-application/retrieve-oauth-application-scope', { headers: { authorization: `Basic ${this.values.accessToken}` } }),
      client.request('POST', '/oauth/introspect', { headers: basic(this.values.clientId, this.values.clientSecret), form: { token: 'x' } }),
    ]);
    return profile.status === 200 && scope.status === 200 && introspect.status === 200;
  }

  /** Fresh seeds when the fuzzer has revoked, rotated or used up the old ones. */
  async ensureUsable(): Promise<void> {
    if (!(await this.usable())) await this.create();
  }

  private async succeeded(client: GatewayClient, commandId: string, token: string | undefined, step: string): Promise<Answer> {
    const status = await client.waitForCommand(commandId, token);
    if (status.body.status !== 'succeeded') throw new Error(`seeding: ${step} ended ${JSON.stringify(status.body)}`);
    return status;
  }

  private async registered(client: GatewayClient, profileToken: string, form: Record<string, string | string[]>): Promise<string> {
    const register = expectStatus(await client.request('POST', '/profile/oauth-application-register', { headers: profileAuth(profileToken), form }), 202, 'oauth-application-register');
    const applicationId = String(register.body.commandId);
    await this.succeeded(client, applicationId, profileToken, 'oauth-application-register');
    return applicationId;
  }

  private async application(client: GatewayClient, profileToken: string, form: Record<string, string | string[]>) {
    const applicationId = await this.registered(client, profileToken, form);
    const configuration = expectStatus(
      await client.request('POST', '/profile/retrieve-oauth-application-configuration', { headers: profileAuth(profileToken), form: { applicationId } }),
      200,
      'retrieve-oauth-application-configuration',
    );
    return { applicationId, clientId: String(configuration.body.clientId), clientSecret: String(configuration.body.clientSecret) };
  }

  private async codeRequest(client: GatewayClient, profileToken: string, clientId: string) {
    const nonce = `nonce-${randomBytes(12).toString('base64url')}`;
    const query = new URLSearchParams({ client_id: clientId, nonce, 'scope[]': 'all' });
    const request = expectStatus(await client.request('GET', `/profile/oauth-application-request-authorization-code?${query}`, { headers: profileAuth(profileToken) }), 202, 'request-authorization-code');
    const grantId = String(request.body.commandId);
    await this.succeeded(client, grantId, profileToken, 'request-authorization-code');
    return { grantId, nonce };
  }

  private async code(client: GatewayClient, profileToken: string, clientId: string, clientAuth: Record<string, string>) {
    const { grantId, nonce } = await this.codeRequest(client, profileToken, clientId);
    const code = expectStatus(await client.request('POST', '/oauth-application/retrieve-authorization-code', { headers: clientAuth, form: { id: grantId, nonce } }), 200, 'retrieve-authorization-code');
    return { grantId, nonce, code: String(code.body.authorizationCode) };
  }

  /** A browser login signed in as the profile, its consent page open (prompt=consent: never a remembered consent). */
  private async signedInLogin(client: GatewayClient, username: string, clientId: string) {
    const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT_URI, scope: 'profile:read', state: 's', prompt: 'consent' });
    const start = await fetch(`${client.baseUrl}/oauth/authorize?${query}`);
    const loginPage = await start.text();
    const cookieOf = (answer: Response) => answer.headers.get('set-cookie')?.match(/oauth_authz=([^;]*)/)?.[1] ?? '';
    const signedIn = await fetch(`${client.baseUrl}/oauth/authorize/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `oauth_authz=${cookieOf(start)}` },
      body: new URLSearchParams({ request_id: hiddenField(loginPage, 'request_id'), csrf_token: hiddenField(loginPage, 'csrf_token'), username, password: PASSWORD }).toString(),
      redirect: 'manual',
    });
    const consentPage = await signedIn.text();
    if (signedIn.status !== 200 || !consentPage.includes('name="decision"')) throw new Error(`seeding: sign-in for consent answered ${signedIn.status}`);
    return { consentRequestId: hiddenField(consentPage, 'request_id'), consentCsrf: hiddenField(consentPage, 'csrf_token'), consentCookie: cookieOf(signedIn) };
  }
}
