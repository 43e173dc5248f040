import { createServer, type Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { chromiumLaunchOptions } from './support/chromium';
import { GatewayClient } from './support/client';
import { freePort, runApp, waitForHealthy } from './support/processes';
import { registeredProfile } from './support/token-scenarios';

const password = 'correct horse battery staple';

/**
 * A person signs in and consents in a real (headless) Chromium: the pages work without JavaScript
 * and without third-party assets. The client's redirect URI is a local server that records the query.
 */
describe('login and consent pages in a real browser', () => {
  let app: ReturnType<typeof runApp>;
  let client: GatewayClient;
  let browser: Browser;
  let callbackServer: Server;
  let callbackUrl: string;

  beforeAll(async () => {
    const chromiumOptions = await chromiumLaunchOptions();
    const port = await freePort();
    // The embedded default on the test database, with its in-process bus.
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), ISSUER: `http://127.0.0.1:${port}`, DB_SCHEMA_PREFIX: `browser${port}_`, LOG_LEVEL: 'warn', KEY_ENCRYPTION_SECRET: 'browser-e2e-key-encryption-secret-0123456789' };
    delete env.KAFKA_BROKERS;
    app = runApp('embedded', env);
    client = new GatewayClient(`http://127.0.0.1:${port}`);
    await waitForHealthy(client.baseUrl, app.child).catch((error: Error) => {
      throw new Error(`${error.message}\n${app.output()}`);
    });
    const callbackPort = await freePort();
    callbackServer = createServer((_, response) => response.end('<!doctype html><title>Callback</title><p>Back at the client.</p>'));
    await new Promise<void>((resolve) => callbackServer.listen(callbackPort, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${callbackPort}/callback`;
    browser = await chromium.launch({
      executablePath: chromiumOptions.executablePath,
      env: chromiumOptions.env,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    callbackServer?.close();
    await app?.stop();
  }, 60_000);

  async function application() {
    const profile = await registeredProfile(client);
    const registered = await client.request('POST', '/profile/oauth-application-register', {
      headers: { 'x-dpt-authorization': profile.token },
      form: { name: 'Photo printer', redirectUri: callbackUrl, scopes: 'profile:read,oauth-app:read' },
    });
    await client.waitForCommand(String(registered.body.commandId));
    const configuration = await client.request('POST', '/profile/retrieve-oauth-application-configuration', {
      headers: { 'x-dpt-authorization': profile.token },
      form: { applicationId: String(registered.body.commandId) },
    });
    return { profile, clientId: String(configuration.body.clientId), clientSecret: String(configuration.body.clientSecret) };
  }

  const authorizeUrl = (clientId: string, state: string) =>
    `${client.baseUrl}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: callbackUrl, scope: 'profile:read', state })}`;

  it('signs in (after a wrong password), shows the consent page, and approving redirects with a working code', async () => {
    const { profile, clientId, clientSecret } = await application();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith('http://127.0.0.1')) external.push(request.url());
    });

    await page.goto(authorizeUrl(clientId, 'state-approve'));
    expect(await page.textContent('h1')).toContain('Photo printer');
    await page.fill('#username', profile.username);
    await page.fill('#password', 'not the right password');
    await page.click('button[type=submit]');
    expect(await page.textContent('[role=alert]')).toContain('Wrong username or password');

    await page.fill('#password', password);
    await page.click('button[type=submit]');
    expect(await page.textContent('h1')).toContain('Photo printer wants access');
    expect(await page.textContent('ul')).toContain('profile:read');

    await page.click('button[value=approve]');
    await page.waitForURL(/\/callback\?/);
    const redirected = new URL(page.url());
    expect(redirected.searchParams.get('state')).toBe('state-approve');
    expect(redirected.searchParams.get('iss')).toBe(client.baseUrl);
    const code = String(redirected.searchParams.get('code'));
    expect(external).toEqual([]);

    const token = await fetch(`${client.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: callbackUrl }).toString(),
    });
    expect(token.status).toBe(200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const who = await client.request('GET', '/profile/retrieve-profile-id', { headers: { authorization: `Bearer ${accessToken}` } });
    expect(who.body).toEqual({ profileId: profile.profileId });
    await context.close();
  });

  it('denying redirects with error=access_denied', async () => {
    const { profile, clientId } = await application();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(authorizeUrl(clientId, 'state-deny'));
    await page.fill('#username', profile.username);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    await page.click('button[value=deny]');
    await page.waitForURL(/\/callback\?/);
    const redirected = new URL(page.url());
    expect([redirected.searchParams.get('error'), redirected.searchParams.get('state'), redirected.searchParams.get('code')]).toEqual(['access_denied', 'state-deny', null]);
    expect(redirected.searchParams.get('iss')).toBe(client.baseUrl);
    await context.close();
  });

  it('shows a bad request of a signed-out browser on our own error page, never sending it to the client', async () => {
    const { clientId } = await application();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const answer = await page.goto(authorizeUrl(clientId, 'state-bad').replace('scope=profile%3Aread', 'scope=oauth-app%3Awrite'));
    expect(answer?.status()).toBe(400);
    expect(page.url().startsWith(client.baseUrl)).toBe(true);
    expect(await page.textContent('h1')).toBe('Authorization error');
    expect(await page.textContent('.error')).toContain('invalid_scope');
    await context.close();
  });

  it('refuses a consent form without its cookie (CSRF) and never redirects', async () => {
    const { profile, clientId } = await application();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(authorizeUrl(clientId, 'state-csrf'));
    await page.fill('#username', profile.username);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    const requestId = await page.inputValue('input[name=request_id]');
    const csrf = await page.inputValue('input[name=csrf_token]');
    const forged = await fetch(`${client.baseUrl}/oauth/authorize/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId, csrf_token: csrf, decision: 'approve' }).toString(),
      redirect: 'manual',
    });
    expect([forged.status, forged.headers.get('location')]).toEqual([400, null]);
    await context.close();
  });
});
