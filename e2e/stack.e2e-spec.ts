import { Pool } from 'pg';
import { allTopics } from '@platform/contracts';
import { KafkaMessageBus } from '@platform/messaging';
import { uniqueName } from '@platform/testing';
import { GatewayClient, randomUsername } from './support/client';
import { freePort, runApp, waitForHealthy } from './support/processes';
import { describeAuthorizationScenarios } from './support/authorization-scenarios';
import { describeLifecycleScenarios } from './support/lifecycle-scenarios';
import { describeProfileScenarios } from './support/profile-scenarios';
import { codeFlow, describeOAuthScenarios, registeredApplication } from './support/oauth-scenarios';
import { describeStandardsScenarios } from './support/standards-scenarios';
import { describeTokenScenarios } from './support/token-scenarios';

/**
 * The distributed stack: the gateway and the three services as separate processes, on real Kafka
 * and PostgreSQL, driven over HTTP. Topics and schemas carry a unique prefix per run.
 */
describe('distributed stack', () => {
  const prefix = uniqueName('e2e');
  const apps: ReturnType<typeof runApp>[] = [];
  let client: GatewayClient;

  beforeAll(async () => {
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_TOPIC_PREFIX: `${prefix}.`,
      DB_SCHEMA_PREFIX: `${prefix}_`,
      LOG_LEVEL: 'debug',
      AUTH_ATTEMPTS_PER_CLIENT: '1000',
      REGISTRATIONS_PER_CLIENT: '1000',
      KEY_ENCRYPTION_SECRET: `e2e-${prefix}-key-encryption-secret-0123456789`,
    };
    for (const service of ['profile-service', 'token-service', 'oauth-app-service']) {
      const healthPort = await freePort();
      const app = runApp(service, { ...base, HEALTH_PORT: String(healthPort) });
      apps.push(app);
      await waitForHealthy(`http://127.0.0.1:${healthPort}`, app.child).catch((error: Error) => {
        throw new Error(`${service}: ${error.message}\n${app.output()}`);
      });
    }
    const port = await freePort();
    const gateway = runApp('gateway', { ...base, PORT: String(port), ISSUER: `http://127.0.0.1:${port}` });
    apps.push(gateway);
    client = new GatewayClient(`http://127.0.0.1:${port}`);
    await waitForHealthy(client.baseUrl, gateway.child).catch((error: Error) => {
      throw new Error(`gateway: ${error.message}\n${gateway.output()}`);
    });
  }, 180_000);

  afterAll(async () => {
    for (const app of apps.reverse()) await app.stop();
    const pool = new Pool({ connectionString: process.env.DATABASE_URL });
    for (const schema of ['gateway', 'profile', 'token', 'oauth_app']) {
      await pool.query(`DROP SCHEMA IF EXISTS "${prefix}_${schema}" CASCADE`);
    }
    await pool.end();
  }, 90_000);

  describeProfileScenarios('stack', () => client);
  describeTokenScenarios('stack', () => client, () => client.baseUrl.replace('http', 'ws') + '/ws');
  describeOAuthScenarios('stack', () => client);
  describeStandardsScenarios('stack', () => client);
  describeAuthorizationScenarios('stack', () => client);
  describeLifecycleScenarios('stack', () => client);

  it('keeps passwords and tokens out of events, Kafka messages and logs: only hashes travel', async () => {
    const username = randomUsername('secret');
    const password = 'a very secret passphrase';
    const newPassword = 'another very secret passphrase';
    const { commandId } = await client.register(username, password);
    await client.waitForCommand(commandId);
    const token = String((await client.authenticate(username, password)).body.authorizationToken);
    const headers = { 'x-dpt-authorization': token };
    const qrToken = String((await client.request('POST', '/profile/generate-token-qr', { headers })).body.qrToken);
    const second = String((await client.request('POST', '/profile/redeem-token-qr', { form: { qrToken } })).body.authorizationToken);
    const change = await client.request('POST', '/profile/change-password', { headers, form: { currentPassword: password, newPassword } });
    await client.waitForCommand(String(change.body.commandId));
    const reauthorized = await client.request('POST', '/profile/reauthorize-authorization-token', { headers, form: { ttl: '600' } });
    const third = String(reauthorized.body.authorizationToken);
    const app = await registeredApplication(client);
    const flow = await codeFlow(client, app);
    const refreshed = await client.request('POST', '/oauth-application/refresh-access-token', {
      headers: { authorization: `Basic ${flow.accessToken}` },
      form: { refresh_token: flow.refreshToken },
    });
    const secrets = [password, newPassword, token, qrToken, second, third, app.clientSecret, flow.nonce, flow.authorizationCode, flow.accessToken, flow.refreshToken, String(refreshed.body.refreshToken), String(refreshed.body.token)];
    expect(secrets.every((secret) => secret.length > 20)).toBe(true);

    const pool = new Pool({ connectionString: process.env.DATABASE_URL });
    let stored = '';
    try {
      const { rows } = await pool.query(
        `SELECT data::text || metadata::text AS text FROM "${prefix}_profile".events
         UNION ALL SELECT data::text || metadata::text FROM "${prefix}_token".events
         UNION ALL SELECT data::text || metadata::text FROM "${prefix}_oauth_app".events`,
      );
      stored = rows.map((row) => row.text).join('\n');
    } finally {
      await pool.end();
    }
    expect(stored).toContain(username);
    expect(stored).toContain('$argon2id$');

    const bus = new KafkaMessageBus({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'e2e-secrets' });
    const messages: string[] = [];
    const subscription = await bus.subscribe({
      groupId: `${prefix}.secrets-audit`,
      topics: allTopics(`${prefix}.`),
      handler: async (message) => void messages.push(JSON.stringify({ key: message.key, value: message.value, headers: message.headers })),
    });
    let seen = -1;
    while (seen !== messages.length) {
      seen = messages.length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    await subscription.stop();
    await bus.close();
    const kafka = messages.join('\n');
    expect(kafka).toContain('PasswordChanged');
    expect(kafka).toContain('QrTokenRedeemed');
    expect(kafka).toContain('RefreshTokenIssued');

    const logs = apps.map((app) => app.output()).join('\n');
    expect(logs).toContain('/profile/authenticate');
    for (const secret of secrets) {
      expect(stored).not.toContain(secret);
      expect(kafka).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });

  it('lets the token service revoke the other tokens of a profile whose password changed', async () => {
    const username = randomUsername('policy');
    const password = 'policy test passphrase one';
    await client.waitForCommand((await client.register(username, password)).commandId);
    const keep = String((await client.authenticate(username, password)).body.authorizationToken);
    await client.authenticate(username, password);
    const change = await client.request('POST', '/profile/change-password', {
      headers: { 'x-dpt-authorization': keep },
      form: { currentPassword: password, newPassword: 'policy test passphrase two' },
    });
    await client.waitForCommand(String(change.body.commandId));
    const pool = new Pool({ connectionString: process.env.DATABASE_URL });
    try {
      const revokedByPolicy = async () =>
        (
          await pool.query(
            `SELECT count(*)::int AS n FROM "${prefix}_token".events
              WHERE event_type = 'AuthorizationTokenRevoked' AND data->>'reason' = 'password-changed'
                AND metadata->>'correlationId' = $1`,
            [change.body.commandId],
          )
        ).rows[0].n;
      const deadline = Date.now() + 15_000;
      while ((await revokedByPolicy()) < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await revokedByPolicy()).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
