import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { COMMAND_STATUS_CODE } from '@platform/contracts';
import type { CommandPush as PushedStatus } from '../commands/command-status.repository';
import { CHANNELS, PgNotifications } from '../commands/pg-notifications';
import { ProfileTokenVerifier } from '../http/profile-auth';

interface JoinChannel {
  action: 'joinChannel';
  data?: { authorizationToken?: unknown; correlationId?: unknown };
}

const MAX_MESSAGE_BYTES = 4096;

/**
 * `/ws` on the gateway's port. A client joins its profile's channel with its authorization token;
 * every replica hears every command's status through PostgreSQL notifications and pushes it to the
 * sockets of that command's profile it holds.
 */
@Injectable()
export class CommandPush implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CommandPush');
  private server?: WebSocketServer;
  private readonly channels = new Map<string, Set<WebSocket>>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly verifier: ProfileTokenVerifier,
    notifications: PgNotifications,
  ) {
    notifications.on(CHANNELS.commandEvents, (payload) => this.push(JSON.parse(payload) as PushedStatus));
  }

  onApplicationBootstrap(): void {
    const httpServer = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.server = new WebSocketServer({ server: httpServer, path: '/ws', maxPayload: MAX_MESSAGE_BYTES });
    this.server.on('connection', (socket) => socket.on('message', (data) => void this.onMessage(socket, data)));
    this.server.on('error', (error) => this.logger.warn(error.message));
  }

  async onApplicationShutdown(): Promise<void> {
    for (const socket of this.server?.clients ?? []) socket.terminate();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async onMessage(socket: WebSocket, data: RawData): Promise<void> {
    let message: JoinChannel;
    try {
      message = JSON.parse(data.toString()) as JoinChannel;
    } catch {
      socket.send(JSON.stringify({ status: 400, data: { message: 'Messages are JSON.' } }));
      return;
    }
    const correlationId = typeof message.data?.correlationId === 'string' ? message.data.correlationId : null;
    if (message.action !== 'joinChannel') {
      socket.send(JSON.stringify({ correlationId, status: 400, data: { message: 'Unknown action.' } }));
      return;
    }
    const token = message.data?.authorizationToken;
    const principal = typeof token === 'string' ? await this.verifier.verify(token) : undefined;
    if (!principal) {
      socket.send(JSON.stringify({ correlationId, status: 401, data: { message: 'Invalid authorization token.' } }));
      return;
    }
    const channelId = `profile:${principal.profileId}`;
    const members = this.channels.get(channelId) ?? new Set();
    members.add(socket);
    this.channels.set(channelId, members);
    socket.once('close', () => {
      members.delete(socket);
      if (members.size === 0) this.channels.delete(channelId);
    });
    socket.send(JSON.stringify({ correlationId, status: 200, data: { channelId, message: 'Joined channel.' } }));
  }

  private push(event: PushedStatus): void {
    if (!event.profileId) return;
    const message = JSON.stringify({
      data: { type: 'X-DPT-CAB-ID', id: event.commandId, command_status: COMMAND_STATUS_CODE[event.status], body: event.body },
    });
    for (const socket of this.channels.get(`profile:${event.profileId}`) ?? []) socket.send(message);
  }
}
