import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayClient } from './support/client';
import { freePort, runApp, waitForHealthy } from './support/processes';
import { describeAuthorizationScenarios } from './support/authorization-scenarios';
import { describeLifecycleScenarios } from './support/lifecycle-scenarios';
import { describeProfileScenarios } from './support/profile-scenarios';
import { describeOAuthScenarios } from './support/oauth-scenarios';
import { describeStandardsScenarios } from './support/standards-scenarios';
import { describeTokenScenarios } from './support/token-scenarios';

/** `npm start` as a new user runs it: one process, embedded PostgreSQL, in-process bus, nothing configured. */
describe('embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'platform-embedded-'));
  let app: ReturnType<typeof runApp>;
  let client: GatewayClient;

  beforeAll(async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), ISSUER: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, LOG_LEVEL: 'warn', AUTH_ATTEMPTS_PER_CLIENT: '1000', REGISTRATIONS_PER_CLIENT: '1000' };
    delete env.DATABASE_URL;
    delete env.KAFKA_BROKERS;
    app = runApp('embedded', env);
    client = new GatewayClient(`http://127.0.0.1:${port}`);
    try {
      await waitForHealthy(client.baseUrl, app.child, 120_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${app.output()}`);
    }
  }, 150_000);

  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  describeProfileScenarios('embedded', () => client);
  describeTokenScenarios('embedded', () => client, () => client.baseUrl.replace('http', 'ws') + '/ws');
  describeOAuthScenarios('embedded', () => client);
  describeStandardsScenarios('embedded', () => client);
  describeAuthorizationScenarios('embedded', () => client);
  describeLifecycleScenarios('embedded', () => client);
});
