import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { GatewayClient, randomUsername } from './support/client';
import { freePort, runApp, waitForHealthy } from './support/processes';
import { reachableTempDir } from '@platform/testing';

const password = 'correct horse battery staple';
const auth = (token: string) => ({ headers: { 'x-dpt-authorization': token } });
/** Tokens from authenticate live this long here, so that expiry is seen in seconds; the other tests reauthorize for an hour. */
const SHORT_TTL_SECONDS = 6;
const MAX_SOCKETS_PER_CLIENT = 8;

interface Opened {
  socket: WebSocket;
  messages: Record<string, unknown>[];
  closed: Promise<{ code: number; reason: string }>;
}

/** What a hostile or broken client can do to `/ws` on the embedded default, and how subscriptions end with their token. */
describe('embedded default: /ws push hardening', () => {
  const dataDir = reachableTempDir(join(tmpdir(), 'platform-ws-'));
  let app: ReturnType<typeof runApp>;
  let client: GatewayClient;
  let wsUrl: string;
  const opened: WebSocket[] = [];

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

  afterEach(() => {
    for (const socket of opened.splice(0)) socket.terminate();
  });

  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  async function open(): Promise<Opened> {
    const socket = new WebSocket(wsUrl);
    opened.push(socket);
    const messages: Record<string, unknown>[] = [];
    socket.on('error', () => undefined);
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return { socket, messages, closed };
  }

  async function answerTo(opened: Opened, frame: string | Buffer, options: { binary?: boolean } = {}): Promise<Record<string, unknown>> {
    const before = opened.messages.length;
    opened.socket.send(frame, { binary: options.binary ?? false });
    await waitUntil(() => opened.messages.length > before);
    return opened.messages[before];
  }

  const joinFrame = (authorizationToken: unknown, correlationId: string) => JSON.stringify({ action: 'joinChannel', data: { authorizationToken, correlationId } });

  async function profile(): Promise<{ username: string; profileId: string }> {
    const username = randomUsername('ws');
    const { commandId } = await client.register(username, password);
    expect((await client.waitForCommand(commandId)).body.status).toBe('succeeded');
    const token = await shortToken(username);
    const who = await client.request('GET', '/profile/retrieve-profile-id', auth(token));
    return { username, profileId: String(who.body.profileId) };
  }

  async function shortToken(username: string): Promise<string> {
    const login = await client.authenticate(username, password);
    expect(login.status).toBe(200);
    return String(login.body.authorizationToken);
  }

  async function hourToken(username: string): Promise<string> {
    const answer = await client.request('POST', '/profile/reauthorize-authorization-token', { ...auth(await shortToken(username)), form: { ttl: '3600' } });
    expect(answer.status).toBe(200);
    return String(answer.body.authorizationToken);
  }

  async function joined(token: string): Promise<Opened> {
    const socket = await open();
    expect(await answerTo(socket, joinFrame(token, 'join'))).toMatchObject({ correlationId: 'join', status: 200, data: { channelId: expect.any(String) } });
    return socket;
  }

  async function expectAliveAndJoinable(token: string): Promise<void> {
    expect(app.child.exitCode).toBeNull();
    expect((await fetch(`${client.baseUrl}/health`)).status).toBe(200);
    const socket = await joined(token);
    socket.socket.close();
  }

  it('answers every malformed frame 400 on the same socket, and a join on it still works', async () => {
    const { username } = await profile();
    const token = await hourToken(username);
    const socket = await open();
    const malformed = ['null', '42', '[]', '"str"', 'not json', '{"action":"joinChannel","data":null}', '{"action":"joinChannel","data":"x"}', '{"action":"joinChannel"}'];
    for (const frame of malformed) {
      expect(await answerTo(socket, frame)).toEqual({ correlationId: null, status: 400, data: { message: expect.any(String) } });
    }
    expect(await answerTo(socket, joinFrame(42, 'c-type'))).toEqual({ correlationId: 'c-type', status: 400, data: { message: expect.any(String) } });
    expect(await answerTo(socket, '{"action":"joinChannel","data":{"authorizationToken":"a\\u0000b","correlationId":"c-nul"}}')).toMatchObject({ correlationId: 'c-nul', status: 400 });
    expect(await answerTo(socket, '{"action":"joinChannel","data":{"authorizationToken":"\\ud800","correlationId":"c-surrogate"}}')).toMatchObject({ correlationId: 'c-surrogate', status: 400 });
    expect(await answerTo(socket, '{"action":"leave","data":{"correlationId":"c-action"}}')).toMatchObject({ correlationId: 'c-action', status: 400 });
    expect(await answerTo(socket, Buffer.from(joinFrame(token, 'c-binary')), { binary: true })).toEqual({ correlationId: null, status: 400, data: { message: expect.any(String) } });
    expect(await answerTo(socket, joinFrame('forged', 'c-forged'))).toEqual({ correlationId: 'c-forged', status: 401, data: { message: expect.any(String) } });
    expect(await answerTo(socket, joinFrame(token, 'c-ok'))).toEqual({ correlationId: 'c-ok', status: 200, data: { channelId: expect.stringMatching(/^profile:/), message: expect.any(String) } });
    await expectAliveAndJoinable(token);
  });

  it('closes a socket that sends an oversized frame (1009) or invalid UTF-8 (1007), and the process lives on', async () => {
    const { username } = await profile();
    const token = await hourToken(username);
    const oversized = await open();
    oversized.socket.send(joinFrame('x'.repeat(10_000), 'big'));
    expect((await oversized.closed).code).toBe(1009);
    await expectAliveAndJoinable(token);

    const invalidUtf8 = await open();
    invalidUtf8.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await invalidUtf8.closed).code).toBe(1007);
    await expectAliveAndJoinable(token);
  });

  it('survives broken upgrades and sockets reset mid-handshake', async () => {
    const { username } = await profile();
    const token = await hourToken(username);
    const port = Number(new URL(client.baseUrl).port);
    for (const request of [
      'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: nope\r\nSec-WebSocket-Version: 13\r\n\r\n',
      'GET /elsewhere HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n\x81\xff',
    ]) {
      await new Promise<void>((resolve) => {
        const raw = connect(port, '127.0.0.1', () => {
          raw.write(request);
          setTimeout(() => {
            raw.resetAndDestroy();
            resolve();
          }, 50);
        });
        raw.on('error', () => resolve());
      });
    }
    await expectAliveAndJoinable(token);
  });

  it('bounds joins per socket (429, then 1008) and sockets per client address (1013)', async () => {
    const { username } = await profile();
    const token = await hourToken(username);
    const socket = await open();
    for (let join = 1; join <= 16; join += 1) expect((await answerTo(socket, joinFrame('forged', `j-${join}`))).status).toBe(401);
    expect(await answerTo(socket, joinFrame(token, 'j-17'))).toMatchObject({ correlationId: 'j-17', status: 429 });
    expect((await socket.closed).code).toBe(1008);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const sockets = await Promise.all(Array.from({ length: MAX_SOCKETS_PER_CLIENT }, () => open()));
    const extra = await open();
    expect((await extra.closed).code).toBe(1013);
    for (const { socket: open } of sockets) open.terminate();
    await waitUntil(() => sockets.every(({ socket: s }) => s.readyState === WebSocket.CLOSED));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expectAliveAndJoinable(token);
  });

  it('closes a joined socket (4401) when its token is revoked, and only that one', async () => {
    const { username } = await profile();
    const token = await hourToken(username);
    const other = await hourToken(username);
    const revokedSocket = await joined(token);
    const otherSocket = await joined(other);
    expect((await client.request('POST', '/profile/revoke-authorization-token', auth(token))).status).toBe(200);
    expect(await revokedSocket.closed).toEqual({ code: 4401, reason: 'authorization token revoked' });
    expect(revokedSocket.messages.at(-1)).toMatchObject({ status: 401, data: { message: expect.stringContaining('revoked') } });
    expect(otherSocket.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a socket joined with a token that is reauthorized', async () => {
    const { username } = await profile();
    const token = await hourToken(username);
    const socket = await joined(token);
    expect((await client.request('POST', '/profile/reauthorize-authorization-token', { ...auth(token), form: { ttl: '3600' } })).status).toBe(200);
    expect(await socket.closed).toEqual({ code: 4401, reason: 'authorization token revoked' });
  });

  it('closes the sockets of the other tokens on a password change; the calling token keeps its socket and its pushes', async () => {
    const { username } = await profile();
    const calling = await hourToken(username);
    const other = await hourToken(username);
    const callingSocket = await joined(calling);
    const otherSocket = await joined(other);
    const change = await client.request('POST', '/profile/change-password', { ...auth(calling), form: { currentPassword: password, newPassword: 'a brand new passphrase here' } });
    expect(change.status).toBe(202);
    expect(await otherSocket.closed).toEqual({ code: 4401, reason: 'authorization token revoked' });
    await waitUntil(() => callingSocket.messages.some((m) => (m.data as { id?: unknown; command_status?: number })?.id === change.body.commandId && (m.data as { command_status: number }).command_status === 2));
    expect(callingSocket.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a joined socket when its token expires', async () => {
    const { username } = await profile();
    const login = await client.authenticate(username, password);
    const expiresAt = Date.parse(String(login.body.expiresAt));
    const socket = await joined(String(login.body.authorizationToken));
    expect(await socket.closed).toEqual({ code: 4401, reason: 'authorization token expired' });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 50);
    expect(socket.messages.at(-1)).toMatchObject({ status: 401, data: { message: expect.stringContaining('expired') } });
  }, 30_000);
});

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
