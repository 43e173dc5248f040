import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { GatewayClient, randomUsername } from './support/client';
import { expectAlive, waitUntil } from './support/hardening';
import { freePort, runApp, waitForHealthy } from './support/processes';
import { reachableTempDir } from '@platform/testing';
import { socketOpener } from './support/websocket-hardening-scenarios';

const password = 'correct horse battery staple';
/** Tokens from authenticate live this long here, so that expiry is seen in seconds. */
const SHORT_TTL_SECONDS = 6;
const MAX_SOCKETS_PER_CLIENT = 8;

/**
 * The `/ws` checks that need their own configuration: a short token lifetime and a small per-client
 * socket bound. The rest of the `/ws` hardening runs on both targets (websocket-hardening-scenarios).
 */
describe('embedded default, short token TTL and socket bound: /ws push', () => {
  const dataDir = reachableTempDir(join(tmpdir(), 'platform-ws-'));
  let app: ReturnType<typeof runApp>;
  let client: GatewayClient;
  let wsUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      ISSUER: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      AUTH_ATTEMPTS_PER_CLIENT: '1000',
      AUTHORIZATION_TOKEN_TTL_SECONDS: String(SHORT_TTL_SECONDS),
      WS_MAX_SOCKETS_PER_CLIENT: String(MAX_SOCKETS_PER_CLIENT),
    };
    delete env.DATABASE_URL;
    delete env.KAFKA_BROKERS;
    app = runApp('embedded', env);
    client = new GatewayClient(`http://127.0.0.1:${port}`);
    wsUrl = `ws://127.0.0.1:${port}/ws`;
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

  const { open, joined } = socketOpener(() => wsUrl);

  async function loggedIn(): Promise<{ authorizationToken: string; expiresAt: number }> {
    const username = randomUsername('ws');
    expect((await client.waitForCommand((await client.register(username, password)).commandId)).body.status).toBe('succeeded');
    const login = await client.authenticate(username, password);
    expect(login.status).toBe(200);
    return { authorizationToken: String(login.body.authorizationToken), expiresAt: Date.parse(String(login.body.expiresAt)) };
  }

  it('bounds sockets per client address (1013), and the process lives on', async () => {
    const sockets = await Promise.all(Array.from({ length: MAX_SOCKETS_PER_CLIENT }, () => open()));
    const extra = await open();
    expect((await extra.closed).code).toBe(1013);
    for (const { socket } of sockets) socket.terminate();
    await waitUntil(() => sockets.every(({ socket }) => socket.readyState === WebSocket.CLOSED));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expectAlive(client, [app.child]);
    const { authorizationToken } = await loggedIn();
    (await joined(authorizationToken)).socket.close();
  });

  it('closes a joined socket when its token expires', async () => {
    const { authorizationToken, expiresAt } = await loggedIn();
    const socket = await joined(authorizationToken);
    expect(await socket.closed).toEqual({ code: 4401, reason: 'authorization token expired' });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 50);
    expect(socket.messages.at(-1)).toMatchObject({ status: 401, data: { message: expect.stringContaining('expired') } });
  }, 30_000);
});
