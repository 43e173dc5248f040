import { GatewayClient } from './support/client';
import { itReplacesTheSignInCookieAtSignIn } from './support/authorization-scenarios';
import { freePort, runApp, waitForHealthy } from './support/processes';

/**
 * An https issuer (as behind a TLS-terminating proxy; the test talks plain http to the process):
 * the sign-in cookie becomes `__Host-oauth_authz`, Secure, and authorization responses carry that issuer.
 */
describe('https issuer', () => {
  let app: ReturnType<typeof runApp>;
  let client: GatewayClient;

  beforeAll(async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), ISSUER: `https://127.0.0.1:${port}`, DB_SCHEMA_PREFIX: `https${port}_`, LOG_LEVEL: 'warn' };
    delete env.KAFKA_BROKERS;
    app = runApp('embedded', env);
    client = new GatewayClient(`http://127.0.0.1:${port}`);
    await waitForHealthy(client.baseUrl, app.child).catch((error: Error) => {
      throw new Error(`${error.message}\n${app.output()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
  }, 60_000);

  itReplacesTheSignInCookieAtSignIn(() => client);
});
