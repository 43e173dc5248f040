import WebSocket from 'ws';
import { uniqueName } from '@platform/testing';
import { freePort, runApp, waitForHealthy } from './support/processes';

type App = ReturnType<typeof runApp>;

const json = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as { status: string; info?: Record<string, { status: string; groups?: unknown[] }>; error?: Record<string, unknown> } };
};

async function readyWithin(url: string, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = await json(`${url}/health/ready`);
    if (answer.status === 200 || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** How the process ended: Nest re-raises the signal after an orderly close, so SIGTERM (not exit code 1 of the deadline). */
const ended = (app: App) =>
  new Promise<string>((resolve) => {
    const describe = () => (app.child.signalCode ? `signal ${app.child.signalCode}` : `exit ${app.child.exitCode}`);
    if (app.child.exitCode !== null || app.child.signalCode !== null) resolve(describe());
    else app.child.once('exit', () => resolve(describe()));
  });

/** The distributed processes on Kafka: health endpoints, and SIGTERM ending each within 10 s even with a WebSocket open. */
describe('health endpoints and graceful shutdown', () => {
  const prefix = uniqueName('e2e_shutdown');
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_TOPIC_PREFIX: `${prefix}.`,
    DB_SCHEMA_PREFIX: `${prefix}_`,
    LOG_LEVEL: 'warn',
    KEY_ENCRYPTION_SECRET: `e2e-${prefix}-key-encryption-secret-0123456789`,
  };
  let service: App;
  let gateway: App;
  let serviceUrl: string;
  let gatewayUrl: string;

  beforeAll(async () => {
    const healthPort = await freePort();
    serviceUrl = `http://127.0.0.1:${healthPort}`;
    service = runApp('token-service', { ...base, HEALTH_PORT: String(healthPort) });
    await waitForHealthy(serviceUrl, service.child).catch((error: Error) => {
      throw new Error(`${error.message}\n${service.output()}`);
    });
    const port = await freePort();
    gatewayUrl = `http://127.0.0.1:${port}`;
    gateway = runApp('gateway', { ...base, PORT: String(port), ISSUER: gatewayUrl });
    await waitForHealthy(gatewayUrl, gateway.child).catch((error: Error) => {
      throw new Error(`${error.message}\n${gateway.output()}`);
    });
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    await service?.stop();
  }, 60_000);

  it.each([
    ['gateway', () => gatewayUrl],
    ['token-service', () => serviceUrl],
  ])('%s answers /health, /health/live and /health/ready (with its consumers running)', async (_, url) => {
    expect(await json(`${url()}/health`)).toMatchObject({ status: 200, body: { status: 'ok', info: { postgres: { status: 'up' }, messaging: { status: 'up' } } } });
    expect(await json(`${url()}/health/live`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await readyWithin(url(), 30_000);
    expect(ready).toMatchObject({ status: 200, body: { status: 'ok', info: { lifecycle: { status: 'up' }, postgres: { status: 'up' }, messaging: { status: 'up' }, consumers: { status: 'up' } } } });
    expect(ready.body.info?.consumers.groups?.length).toBeGreaterThan(0);
  });

  it('on SIGTERM the gateway closes an open WebSocket with 1001 and exits within 10 s', async () => {
    const socket = new WebSocket(`${gatewayUrl.replace('http', 'ws')}/ws`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const closeCode = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    const started = Date.now();
    gateway.child.kill('SIGTERM');
    expect(await closeCode).toBe(1001);
    expect(await ended(gateway)).toMatch(/^(exit 0|signal SIGTERM)$/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);

  it('on SIGTERM a service leaves its consumer groups and exits within 10 s', async () => {
    const started = Date.now();
    service.child.kill('SIGTERM');
    expect(await ended(service)).toMatch(/^(exit 0|signal SIGTERM)$/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);
});
