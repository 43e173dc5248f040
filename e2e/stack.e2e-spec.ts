import { Pool } from 'pg';
import { uniqueName } from '@platform/testing';
import { GatewayClient, randomUsername } from './support/client';
import { freePort, runApp, waitForHealthy } from './support/processes';
import { describeProfileScenarios } from './support/profile-scenarios';
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
      LOG_LEVEL: 'warn',
      AUTH_ATTEMPTS_PER_CLIENT: '1000',
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
    const gateway = runApp('gateway', { ...base, PORT: String(port) });
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

  it('keeps passwords and tokens out of the events: only hashes are stored', async () => {
    const username = randomUsername('secret');
    const password = 'a very secret passphrase';
    const { commandId } = await client.register(username, password);
    await client.waitForCommand(commandId);
    const token = String((await client.authenticate(username, password)).body.authorizationToken);
    const pool = new Pool({ connectionString: process.env.DATABASE_URL });
    try {
      const { rows } = await pool.query(
        `SELECT data::text || metadata::text AS text FROM "${prefix}_profile".events
         UNION ALL SELECT data::text || metadata::text FROM "${prefix}_token".events`,
      );
      const stored = rows.map((row) => row.text).join('\n');
      expect(stored).toContain(username);
      expect(stored).toContain('$argon2id$');
      expect(stored).not.toContain(password);
      expect(stored).not.toContain(token);
    } finally {
      await pool.end();
    }
  });
});
