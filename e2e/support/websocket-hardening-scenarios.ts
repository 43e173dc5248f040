import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import WebSocket from 'ws';
import type { GatewayClient } from './client';
import { expectAlive, waitUntil } from './hardening';
import { registeredProfile } from './token-scenarios';

const password = 'correct horse battery staple';
const auth = (token: string) => ({ headers: { 'x-dpt-authorization': token } });
const REVOKED = { code: 4401, reason: 'authorization token revoked' };

export interface OpenedSocket {
  socket: WebSocket;
  messages: Record<string, unknown>[];
  closed: Promise<{ code: number; reason: string }>;
}

export const joinFrame = (authorizationToken: unknown, correlationId: string) => JSON.stringify({ action: 'joinChannel', data: { authorizationToken, correlationId } });

/** Opens and joins sockets on `/ws`, and terminates every one of them after each test. */
export function socketOpener(wsUrl: () => string) {
  const opened: WebSocket[] = [];
  afterEach(() => {
    for (const socket of opened.splice(0)) socket.terminate();
  });

  async function open(): Promise<OpenedSocket> {
    const socket = new WebSocket(wsUrl());
    opened.push(socket);
    const messages: Record<string, unknown>[] = [];
    socket.on('error', () => undefined);
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return { socket, messages, closed };
  }

  async function answerTo(target: OpenedSocket, frame: string | Buffer, options: { binary?: boolean } = {}): Promise<Record<string, unknown>> {
    const before = target.messages.length;
    target.socket.send(frame, { binary: options.binary ?? false });
    await waitUntil(() => target.messages.length > before);
    return target.messages[before];
  }

  async function joined(token: string): Promise<OpenedSocket> {
    const socket = await open();
    expect(await answerTo(socket, joinFrame(token, 'join'))).toMatchObject({ correlationId: 'join', status: 200, data: { channelId: expect.any(String) } });
    return socket;
  }

  return { open, answerTo, joined };
}

/**
 * What a hostile or broken client can do to `/ws`, and how a subscription ends with its token. After
 * every crash attempt each process of the target is alive and a fresh socket still joins.
 */
export function describeWebSocketHardeningScenarios(name: string, gateway: () => GatewayClient, wsUrl: () => string, processes: () => ChildProcess[]): void {
  describe(`${name}: /ws push hardening`, () => {
    const { open, answerTo, joined } = socketOpener(wsUrl);
    afterEach(async () => expectAlive(gateway(), processes()));

    async function expectAliveAndJoinable(token: string): Promise<void> {
      await expectAlive(gateway(), processes());
      (await joined(token)).socket.close();
    }

    it('answers every malformed frame 400 on the same socket, and a join on it still works', async () => {
      const { token } = await registeredProfile(gateway());
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

    it('closes a socket that sends an oversized frame (1009) or invalid UTF-8 (1007), and the processes live on', async () => {
      const { token } = await registeredProfile(gateway());
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
      const { token } = await registeredProfile(gateway());
      const port = Number(new URL(gateway().baseUrl).port);
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

    it('bounds joins per socket: 429, then close 1008', async () => {
      const { token } = await registeredProfile(gateway());
      const socket = await open();
      for (let join = 1; join <= 16; join += 1) expect((await answerTo(socket, joinFrame('forged', `j-${join}`))).status).toBe(401);
      expect(await answerTo(socket, joinFrame(token, 'j-17'))).toMatchObject({ correlationId: 'j-17', status: 429 });
      expect((await socket.closed).code).toBe(1008);
      await expectAliveAndJoinable(token);
    });

    it('closes a joined socket (4401) when its token is revoked, and only that one', async () => {
      const client = gateway();
      const { username, token } = await registeredProfile(client);
      const other = String((await client.authenticate(username, password)).body.authorizationToken);
      const revokedSocket = await joined(token);
      const otherSocket = await joined(other);
      expect((await client.request('POST', '/profile/revoke-authorization-token', auth(token))).status).toBe(200);
      expect(await revokedSocket.closed).toEqual(REVOKED);
      expect(revokedSocket.messages.at(-1)).toMatchObject({ status: 401, data: { message: expect.stringContaining('revoked') } });
      expect(otherSocket.socket.readyState).toBe(WebSocket.OPEN);
    });

    it('closes a socket joined with a token that is reauthorized', async () => {
      const client = gateway();
      const { token } = await registeredProfile(client);
      const socket = await joined(token);
      expect((await client.request('POST', '/profile/reauthorize-authorization-token', { ...auth(token), form: { ttl: '3600' } })).status).toBe(200);
      expect(await socket.closed).toEqual(REVOKED);
    });

    it('closes the sockets of the other tokens on a password change; the calling token keeps its socket and its pushes', async () => {
      const client = gateway();
      const { username, token: calling } = await registeredProfile(client);
      const other = String((await client.authenticate(username, password)).body.authorizationToken);
      const callingSocket = await joined(calling);
      const otherSocket = await joined(other);
      const change = await client.request('POST', '/profile/change-password', { ...auth(calling), form: { currentPassword: password, newPassword: 'a brand new passphrase here' } });
      expect(change.status).toBe(202);
      expect(await otherSocket.closed).toEqual(REVOKED);
      await waitUntil(() => callingSocket.messages.some((m) => (m.data as { id?: unknown; command_status?: number })?.id === change.body.commandId && (m.data as { command_status: number }).command_status === 2));
      expect(callingSocket.socket.readyState).toBe(WebSocket.OPEN);
    });
  });
}
