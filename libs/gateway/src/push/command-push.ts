import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import type { PlatformConfig } from '@platform/config';
import { COMMAND_STATUS_CODE } from '@platform/contracts';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import type { CommandPush as PushedStatus } from '../commands/command-status.repository';
import { CHANNELS, PgNotifications } from '../commands/pg-notifications';
import { type ProfilePrincipal, ProfileTokenVerifier, sha256 } from '../http/profile-auth';
import { parseFrame } from './join-frame';
import { type EndReason, PushSubscriptions } from './push-subscriptions';

const MAX_MESSAGE_BYTES = 4096;
const MAX_JOINS_PER_SOCKET = 16;
/** A join whose verification overlapped revocations is verified again; a storm of them ends in 503. */
const MAX_VERIFY_ATTEMPTS = 3;

export const CLOSE_CODES = { goingAway: 1001, tokenEnded: 4401, policy: 1008, tryAgainLater: 1013 } as const;

class RevocationsOverlapped extends Error {}

/**
 * `/ws` on the gateway's port. A client joins its profile's channel with its authorization token;
 * every replica hears every command's status through PostgreSQL notifications and pushes it to the
 * sockets of that command's profile it holds. Every frame is untrusted input: whatever it holds is
 * answered, never thrown. A socket is closed (4401) when a token it joined with is revoked or expires.
 */
@Injectable()
export class CommandPush implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('CommandPush');
  private server?: WebSocketServer;
  private readonly subscriptions = new PushSubscriptions<WebSocket>((socket, reason) => this.endSubscription(socket, reason));
  private readonly joinAttempts = new WeakMap<WebSocket, number>();
  private readonly socketsPerClient = new Map<string, number>();
  /** Bumped by every revocation this replica hears: a join verified across one is verified again. */
  private revocations = 0;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly verifier: ProfileTokenVerifier,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    notifications: PgNotifications,
  ) {
    notifications.on(CHANNELS.commandEvents, (payload) => this.push(payload));
    notifications.on(CHANNELS.tokenRevoked, (payload) => this.revoked(payload));
    notifications.onReconnect(() => (this.revocations += 1));
    notifications.onResume(() => {
      this.revocations += 1;
      this.recheckJoinedTokens().catch((error: Error) => this.logger.error(`re-checking joined tokens failed: ${error.message}`));
    });
  }

  onApplicationBootstrap(): void {
    const httpServer = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.server = new WebSocketServer({ server: httpServer, path: '/ws', maxPayload: MAX_MESSAGE_BYTES });
    this.server.on('connection', (socket, request) => this.accept(socket, request));
    this.server.on('error', (error) => this.logger.warn(`websocket server: ${error.message}`));
  }

  /** Before HTTP closes (an open socket would hold it): every client gets 1001 and 1 s to answer the close. */
  async beforeApplicationShutdown(): Promise<void> {
    const sockets = [...(this.server?.clients ?? [])];
    const closed = sockets.map((socket) => new Promise<void>((resolve) => (socket.readyState === WebSocket.CLOSED ? resolve() : socket.once('close', () => resolve()))));
    for (const socket of sockets) socket.close(CLOSE_CODES.goingAway, 'Server shutting down.');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000)))]);
    clearTimeout(timer);
    for (const socket of sockets) if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const socket of this.server?.clients ?? []) socket.terminate();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    // oversized frames (1009), invalid UTF-8 (1007) and protocol errors are closed by ws itself; they only need hearing
    socket.on('error', (error) => this.logger.debug(`websocket: ${error.message}`));
    const client = request.socket.remoteAddress ?? 'unknown';
    const open = this.socketsPerClient.get(client) ?? 0;
    const limit = this.config.wsMaxSocketsPerClient;
    if (limit > 0 && open >= limit) {
      socket.close(CLOSE_CODES.tryAgainLater, 'Too many sockets from this address.');
      return;
    }
    this.socketsPerClient.set(client, open + 1);
    socket.once('close', () => {
      this.subscriptions.leave(socket);
      const left = (this.socketsPerClient.get(client) ?? 1) - 1;
      if (left > 0) this.socketsPerClient.set(client, left);
      else this.socketsPerClient.delete(client);
    });
    socket.on('message', (data, isBinary) => {
      this.onMessage(socket, data, isBinary).catch((error: Error) => this.logger.error(`websocket message failed: ${error.message}`));
    });
  }

  private async onMessage(socket: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    const frame = parseFrame(data, isBinary);
    if (frame.kind === 'invalid') return this.answer(socket, frame.correlationId, 400, { message: frame.message });
    const { correlationId, authorizationToken } = frame;
    const attempts = (this.joinAttempts.get(socket) ?? 0) + 1;
    this.joinAttempts.set(socket, attempts);
    if (attempts > MAX_JOINS_PER_SOCKET) {
      this.answer(socket, correlationId, 429, { message: 'Too many joins on this socket.' });
      socket.close(CLOSE_CODES.policy, 'Too many joins.');
      return;
    }
    let principal: ProfilePrincipal | undefined;
    try {
      principal = await this.verify(authorizationToken);
    } catch (error) {
      if (!(error instanceof RevocationsOverlapped)) this.logger.warn(`join could not be verified: ${(error as Error).message}`);
      return this.answer(socket, correlationId, 503, { message: 'Try again later.' });
    }
    if (socket.readyState !== WebSocket.OPEN) return;
    if (!principal || !authorizationToken) return this.answer(socket, correlationId, 401, { message: 'Invalid authorization token.' });
    const channelId = `profile:${principal.profileId}`;
    this.subscriptions.join(socket, { tokenHash: sha256(authorizationToken), profileId: principal.profileId, expiresAt: principal.expiresAt });
    this.answer(socket, correlationId, 200, { channelId, message: 'Joined channel.' });
  }

  private async verify(token: string | undefined): Promise<ProfilePrincipal | undefined> {
    if (!token) return undefined;
    for (let attempt = 0; attempt < MAX_VERIFY_ATTEMPTS; attempt += 1) {
      const seen = this.revocations;
      const principal = await this.verifier.verify(token);
      if (seen === this.revocations) return principal;
    }
    throw new RevocationsOverlapped();
  }

  private revoked(payload: string): void {
    if (payload.startsWith('profile:')) {
      this.revocations += 1;
      this.subscriptions.profileRevoked(payload.slice('profile:'.length));
    } else if (!payload.includes(':')) {
      this.revocations += 1;
      this.subscriptions.tokenRevoked(payload);
    }
  }

  /** Notifications missed while the listener connection was down are made up for from the database. */
  private async recheckJoinedTokens(): Promise<void> {
    const joined = this.subscriptions.tokenHashes();
    const active = await this.verifier.activeTokenHashes(joined);
    for (const tokenHash of joined) if (!active.has(tokenHash)) this.subscriptions.tokenRevoked(tokenHash);
  }

  private endSubscription(socket: WebSocket, reason: EndReason): void {
    const message = reason === 'revoked' ? 'The authorization token was revoked.' : 'The authorization token expired.';
    this.answer(socket, null, 401, { message });
    if (socket.readyState === WebSocket.OPEN) socket.close(CLOSE_CODES.tokenEnded, `authorization token ${reason}`);
  }

  private push(payload: string): void {
    let event: PushedStatus;
    try {
      event = JSON.parse(payload) as PushedStatus;
    } catch {
      this.logger.error('unreadable command_events notification');
      return;
    }
    if (!event.profileId) return;
    const message = JSON.stringify({
      data: { type: 'X-DPT-CAB-ID', id: event.commandId, command_status: COMMAND_STATUS_CODE[event.status], body: event.body },
    });
    for (const socket of this.subscriptions.socketsOf(event.profileId)) this.send(socket, message);
  }

  private answer(socket: WebSocket, correlationId: string | null, status: number, data: Record<string, unknown>): void {
    this.send(socket, JSON.stringify({ correlationId, status, data }));
  }

  private send(socket: WebSocket, message: string): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(message, (error) => error && this.logger.debug(`websocket send failed: ${error.message}`));
  }
}
