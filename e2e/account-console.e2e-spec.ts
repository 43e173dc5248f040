import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumLaunchOptions } from './support/chromium';
import { GatewayClient } from './support/client';
import { freePort, runApp, waitForHealthy } from './support/processes';
import { registeredProfile } from './support/token-scenarios';

const SCREENSHOTS = join(process.cwd(), 'dist', 'screenshots');
const REDIRECT = 'https://printer.example/callback';
const password = 'correct horse battery staple';

/** The account console in a real (headless) Chromium without JavaScript: each action, then its effect through the API. */
describe('account console in a real browser', () => {
  let app: ReturnType<typeof runApp>;
  let client: GatewayClient;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), ISSUER: `http://127.0.0.1:${port}`, DB_SCHEMA_PREFIX: `account${port}_`, LOG_LEVEL: 'warn', KEY_ENCRYPTION_SECRET: 'account-e2e-key-encryption-secret-0123456789' };
    delete env.KAFKA_BROKERS;
    app = runApp('embedded', env);
    client = new GatewayClient(`http://127.0.0.1:${port}`);
    await waitForHealthy(client.baseUrl, app.child).catch((error: Error) => {
      throw new Error(`${error.message}\n${app.output()}`);
    });
    const chromiumOptions = await chromiumLaunchOptions();
    browser = await chromium.launch({ executablePath: chromiumOptions.executablePath, env: chromiumOptions.env, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  }, 60_000);

  const auth = (token: string) => ({ headers: { 'x-dpt-authorization': token } });
  const basic = (clientId: string, secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;

  async function register(token: string, name: string) {
    const registered = await client.request('POST', '/profile/oauth-application-register', { ...auth(token), form: { name, redirectUri: REDIRECT, scopes: 'profile:read,oauth-app:read' } });
    await client.waitForCommand(String(registered.body.commandId));
    const applicationId = String(registered.body.commandId);
    const configuration = await client.request('POST', '/profile/retrieve-oauth-application-configuration', { ...auth(token), form: { applicationId } });
    return { applicationId, clientId: String(configuration.body.clientId), clientSecret: String(configuration.body.clientSecret) };
  }

  async function accessToken(token: string, application: { clientId: string; clientSecret: string }) {
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({ response_type: 'code', client_id: application.clientId, redirect_uri: REDIRECT, scope: 'profile:read', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' });
    const authorize = await fetch(`${client.baseUrl}/oauth/authorize?${query}`, { ...auth(token), redirect: 'manual' });
    const code = String(new URL(String(authorize.headers.get('location'))).searchParams.get('code'));
    const response = await fetch(`${client.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(application.clientId, application.clientSecret) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }).toString(),
    });
    return String(((await response.json()) as Record<string, string>).access_token);
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
  const bearerStatus = async (token: string) => (await client.request('GET', '/profile/retrieve-profile-id', { headers: { authorization: `Bearer ${token}` } })).status;
  const clientAuthStatus = async (clientId: string, secret: string) =>
    (await fetch(`${client.baseUrl}/oauth/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clientId, secret) }, body: 'token=x' })).status;

  it('signs in, shows usage and the audit trail, rotates, retires the previous secret, revokes, deletes, revokes an authorization, exports CSV, signs out', async () => {
    const profile = await registeredProfile(client);
    const printer = await register(profile.token, 'Photo printer');
    const scanner = await register(profile.token, 'Scanner');
    const token = await accessToken(profile.token, printer);
    for (let i = 0; i < 3; i++) expect(await bearerStatus(token)).toBe(200);

    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(client.baseUrl)) external.push(request.url());
    });

    await page.goto(`${client.baseUrl}/account`);
    await page.fill('#username', profile.username);
    await page.fill('#password', 'not the right password');
    await page.click('button[type=submit]');
    expect(await page.textContent('.error')).toContain('Wrong username or password');
    await shot(page, '01-account-sign-in-error.png');
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    expect(await page.textContent('h1')).toBe('Your account');
    expect(await page.locator('tr:has-text("Photo printer") svg rect').count()).toBe(14);
    expect(await page.getAttribute('tr:has-text("Photo printer") svg', 'aria-label')).toContain('3 in all');
    expect(await page.locator('text=GET /profile/retrieve-profile-id').count()).toBe(3);
    await shot(page, '02-account-console.png');

    await page.selectOption('select[name=kind]', 'change');
    await page.click('button:has-text("Filter")');
    // The filter is a GET form: count only once the filtered page has loaded.
    await page.waitForURL(/kind=change/);
    expect(await page.locator('text=GET /profile/retrieve-profile-id').count()).toBe(0);
    expect(await page.locator('td:has-text("OAuthApplicationRegistered")').count()).toBe(2);
    await shot(page, '03-audit-filtered-changes.png');
    const csv = await context.request.get(`${client.baseUrl}/account/audit.csv?kind=call&application=${printer.applicationId}`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const rows = (await csv.text()).trim().split('\r\n');
    expect(rows[0]).toBe('at,applicationId,kind,what,detail');
    expect(rows.slice(1).filter((row) => row.includes('GET /profile/retrieve-profile-id'))).toHaveLength(3);

    await page.click('tr:has-text("Photo printer") button:has-text("Rotate secret")');
    const secret = String(await page.textContent('#new-secret'));
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await shot(page, '04-secret-rotated.png');
    expect(await clientAuthStatus(printer.clientId, secret)).toBe(200);
    expect(await clientAuthStatus(printer.clientId, printer.clientSecret)).toBe(200); // the overlap

    await page.goto(`${client.baseUrl}/account`);
    await page.click('tr:has-text("Photo printer") button:has-text("Retire previous secret")');
    expect(await page.locator('button:has-text("Retire previous secret")').count()).toBe(0);
    expect(await clientAuthStatus(printer.clientId, printer.clientSecret)).toBe(401);
    expect(await clientAuthStatus(printer.clientId, secret)).toBe(200);
    await shot(page, '05-previous-secret-retired.png');

    await page.goto(`${client.baseUrl}/account`);
    await page.click('tr:has-text("Photo printer") button:has-text("Revoke access")');
    expect(await page.locator('text=You have not authorized any application.').count()).toBe(1);
    expect(await bearerStatus(token)).toBe(401);
    expect((await client.request<unknown[]>('GET', '/profile/authorized-applications', auth(profile.token))).body).toEqual([]);
    await shot(page, '06-authorization-revoked.png');

    await page.click('tr:has-text("Scanner") button:has-text("Revoke")');
    const listed = async () => (await client.request<{ applicationId: string; status: string }[]>('GET', '/profile/retrieve-oauth-application-list', auth(profile.token))).body;
    expect((await listed()).find((a) => a.applicationId === scanner.applicationId)?.status).toBe('revoked');
    await page.click('tr:has-text("Scanner") button:has-text("Delete")');
    expect((await listed()).map((a) => a.applicationId)).toEqual([printer.applicationId]);
    expect(await page.locator('tr:has-text("Scanner")').count()).toBe(0);
    await shot(page, '07-application-revoked-and-deleted.png');

    await page.click('button:has-text("Sign out")');
    expect(await page.locator('#password').count()).toBe(1);
    await shot(page, '08-signed-out.png');
    expect(external).toEqual([]);
    await context.close();
  }, 120_000);

  it('refuses a form without the session’s CSRF token and changes nothing', async () => {
    const profile = await registeredProfile(client);
    const printer = await register(profile.token, 'Photo printer');
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${client.baseUrl}/account`);
    await page.fill('#username', profile.username);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    const forged = await context.request.post(`${client.baseUrl}/account/applications`, { form: { csrf_token: 'A'.repeat(43), applicationId: printer.applicationId, action: 'delete' } });
    expect(forged.status()).toBe(400);
    const list = await client.request<{ applicationId: string }[]>('GET', '/profile/retrieve-oauth-application-list', auth(profile.token));
    expect(list.body.map((a) => a.applicationId)).toEqual([printer.applicationId]);
    await context.close();
  }, 60_000);
});
