import { request as httpRequest } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { loadConfig } from '@platform/config';
import { createGateway } from '@platform/gateway';
import { InProcessMessageBus } from '@platform/messaging';
import { startOAuthAppService } from '@platform/oauth-app-service';
import { startProfileService } from '@platform/profile-service';
import type { RunningService } from '@platform/service-runtime';
import { uniqueName } from '@platform/testing';
import { startTokenService } from '@platform/token-service';
import { type Answer, GatewayClient, randomUsername } from './support/client';

const password = 'correct horse battery staple';
const REDIRECT_URI = 'http://localhost:3000/cb';

/** A form POST from another loopback address, so per-client limits of one test do not touch another's. */
const postFrom = (localAddress: string, baseUrl: string, path: string, form: Record<string, string>): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const url = new URL(path, baseUrl);
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
          resolve({ status: res.statusCode ?? 0, headers, body: JSON.parse(text || '{}') });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const sleepSeconds = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 100));

/**
 * Brute-force limits across replicas: the whole platform in this process (in-process bus, the test
 * PostgreSQL) with two gateways on one database. Small limits through the environment keep it quick.
 */
describe('password attempts: one failure budget per username, shared by routes and replicas', () => {
  const prefix = uniqueName('pw');
  const bus = new InProcessMessageBus();
  const services: RunningService[] = [];
  const gateways: NestFastifyApplication[] = [];
  let a: GatewayClient;
  let b: GatewayClient;

  beforeAll(async () => {
    process.env.DB_SCHEMA_PREFIX = `${prefix}_`;
    const config = loadConfig({
      ...process.env,
      KAFKA_BROKERS: '',
      LOG_LEVEL: 'warn',
      AUTH_FREE_FAILURES: '2',
      AUTH_ATTEMPTS_PER_CLIENT: '30',
      REGISTRATIONS_PER_CLIENT: '3',
      KEY_ENCRYPTION_SECRET: `e2e-${prefix}-key-encryption-secret-0123456789`,
    });
    const infrastructure = (clientId: string) => ({ config, clientId, bus, handleSignals: false });
    services.push(await startProfileService(infrastructure('profile-service')));
    services.push(await startTokenService(infrastructure('token-service')));
    services.push(await startOAuthAppService(infrastructure('oauth-app-service')));
    for (const name of ['gateway-a', 'gateway-b']) {
      const app = await createGateway(infrastructure(name));
      await app.listen(0, '127.0.0.1');
      gateways.push(app);
    }
    [a, b] = await Promise.all(gateways.map(async (app) => new GatewayClient((await app.getUrl()).replace('[::1]', '127.0.0.1'))));
  }, 120_000);

  afterAll(async () => {
    for (const app of gateways) await app.close();
    for (const service of services.reverse()) await service.close();
    await bus.close();
    const pool = new Pool({ connectionString: process.env.DATABASE_URL });
    for (const schema of ['gateway', 'profile', 'token', 'oauth_app']) await pool.query(`DROP SCHEMA IF EXISTS "${prefix}_${schema}" CASCADE`);
    await pool.end();
  }, 60_000);

  async function profileWithApplication() {
    const username = randomUsername('owner');
    expect((await a.waitForCommand((await a.register(username, password)).commandId)).body.status).toBe('succeeded');
    const token = String((await a.authenticate(username, password)).body.authorizationToken);
    const headers = { 'x-dpt-authorization': token };
    const registered = await a.request('POST', '/profile/oauth-application-register', { headers, form: { name: 'Printer', redirectUri: REDIRECT_URI, scopes: 'profile:read' } });
    await a.waitForCommand(String(registered.body.commandId));
    const configuration = await a.request('POST', '/profile/retrieve-oauth-application-configuration', { headers, form: { applicationId: String(registered.body.commandId) } });
    return { username, token, clientId: String(configuration.body.clientId) };
  }

  /** Opens the login page on `client` and returns a function that submits it. */
  async function loginPage(client: GatewayClient, clientId: string) {
    const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT_URI, scope: 'profile:read', state: 's' });
    const response = await fetch(`${client.baseUrl}/oauth/authorize?${query}`);
    const html = await response.text();
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
    return async (username: string, guess: string) => {
      const form = new URLSearchParams({ request_id: field('request_id'), csrf_token: field('csrf_token'), username, password: guess });
      const answer = await fetch(`${client.baseUrl}/oauth/authorize/login`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form, redirect: 'manual' });
      return { status: answer.status, retryAfter: answer.headers.get('retry-after'), page: await answer.text() };
    };
  }

  const changePassword = (client: GatewayClient, token: string, currentPassword: string) =>
    client.request('POST', '/profile/change-password', { headers: { 'x-dpt-authorization': token }, form: { currentPassword, newPassword: 'an unrelated new passphrase 42' } });

  it('delays the owner after failures on any route of either replica, then lets the right password in and resets the budget', async () => {
    const { username, token, clientId } = await profileWithApplication();
    const submitOnB = await loginPage(b, clientId);

    expect((await a.authenticate(username, 'wrong guess number one')).status).toBe(401);
    expect((await submitOnB(username, 'wrong guess number two')).status).toBe(401);

    // Two failures (AUTH_FREE_FAILURES=2) on two routes and two replicas: the next attempt anywhere waits 1 s.
    const delayedChange = await changePassword(a, token, 'wrong guess number three');
    expect([delayedChange.status, delayedChange.body.error, delayedChange.headers.get('retry-after')]).toEqual([429, 'too_many_requests', '1']);
    const delayedOwner = await b.authenticate(username, password);
    expect([delayedOwner.status, delayedOwner.body.error, delayedOwner.headers.get('retry-after')]).toEqual([429, 'too_many_requests', '1']);
    const delayedPage = await submitOnB(username, password);
    expect([delayedPage.status, delayedPage.retryAfter]).toEqual([429, '1']);
    expect(delayedPage.page).toContain('Too many attempts');

    await sleepSeconds(1);
    const wrongCurrent = await changePassword(b, token, 'wrong guess number four');
    expect(wrongCurrent.status).toBe(202);
    // The third failure doubles the wait.
    expect((await a.authenticate(username, password)).headers.get('retry-after')).toBe('2');
    expect((await b.waitForCommand(String(wrongCurrent.body.commandId))).body).toMatchObject({ status: 'rejected', body: 'profile.invalid_password' });

    await sleepSeconds(2);
    const signedIn = await submitOnB(username, password);
    expect(signedIn.status).toBe(200);
    expect(signedIn.page).toContain('wants access');

    // The success reset the budget: two free failures again, and the owner gets in.
    expect((await b.authenticate(username, 'wrong guess number five')).status).toBe(401);
    expect((await changePassword(a, token, 'wrong guess number six')).status).toBe(202);
    expect((await b.authenticate(username, 'wrong guess number seven')).status).toBe(429);
    await sleepSeconds(1);
    expect((await a.authenticate(username, password)).status).toBe(200);
    expect((await b.authenticate(username, 'wrong guess number eight')).status).toBe(401);
  }, 60_000);

  it('treats unknown usernames like known ones: the same 401, then the same delay', async () => {
    const unknown = randomUsername('nobody');
    expect((await a.authenticate(unknown, 'wrong guess number one')).status).toBe(401);
    expect((await b.authenticate(unknown, 'wrong guess number two')).status).toBe(401);
    const delayed = await a.authenticate(unknown, 'wrong guess number three');
    expect([delayed.status, delayed.headers.get('retry-after')]).toEqual([429, '1']);
  });

  it('limits registrations per client address across replicas', async () => {
    const register = (client: GatewayClient) => postFrom('127.0.0.2', client.baseUrl, '/profile/register-profile', { username: randomUsername('reg'), password });
    expect((await register(a)).status).toBe(202);
    expect((await register(b)).status).toBe(202);
    expect((await register(a)).status).toBe(202);
    const limited = await register(b);
    expect([limited.status, limited.body.error]).toEqual([429, 'too_many_requests']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client address keeps its own budget.
    expect((await a.register(randomUsername('reg'), password)).answer.status).toBe(202);
  });

  it('limits password attempts per client address across replicas, whatever the usernames', async () => {
    const attempt = (client: GatewayClient) => postFrom('127.0.0.3', client.baseUrl, '/profile/authenticate', { username: randomUsername('spray'), password: 'wrong guess for spraying' });
    for (let n = 0; n < 30; n += 1) expect((await attempt(n % 2 === 0 ? a : b)).status).toBe(401);
    const limited = await attempt(a);
    expect([limited.status, limited.body.error]).toEqual([429, 'too_many_requests']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
