import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import type { PlatformConfig } from '@platform/config';
import { PLATFORM_CONFIG } from '@platform/service-runtime';

export const CHANNELS = {
  /** payload: command id; a command reached its terminal status. */
  commandStatus: 'command_status',
  /** payload: JSON `{profileId, commandId, command_status, body}`; for the WebSocket push. */
  commandEvents: 'command_events',
  /** payload: a token hash, or `profile:<id>` for all of a profile's tokens. */
  tokenRevoked: 'token_revoked',
  /** payload: an application id; its read-model row changed (secret, status, scopes…). */
  applicationChanged: 'application_changed',
} as const;
type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];
type Listener = (payload: string) => void;

/**
 * One PostgreSQL LISTEN connection per gateway replica, shared by every consumer of notifications.
 * Notifications arrive in commit order, so a revocation is seen before the status of the command that made it.
 * A lost connection is re-established; `onReconnect` listeners drop whatever they cached meanwhile,
 * `onResume` listeners re-check what they hold once notifications flow again (some may have been missed).
 */
@Injectable()
export class PgNotifications implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PgNotifications');
  private readonly listeners = new Map<Channel, Set<Listener>>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly resumeListeners = new Set<() => void>();
  private client?: Client;
  private stopped = false;

  constructor(@Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig) {}

  on(channel: Channel, listener: Listener): void {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.add(listener);
  }

  onResume(listener: () => void): void {
    this.resumeListeners.add(listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl });
    client.on('notification', (message) => {
      for (const listener of this.listeners.get(message.channel as Channel) ?? []) {
        try {
          listener(message.payload ?? '');
        } catch (error) {
          this.logger.error(`${message.channel} listener failed: ${(error as Error).message}`);
        }
      }
    });
    client.on('error', (error) => this.logger.warn(`listener connection lost: ${error.message}`));
    client.on('end', () => {
      if (this.stopped) return;
      for (const listener of this.reconnectListeners) listener();
      setTimeout(() => void this.connect().catch((error: Error) => this.logger.error(error.message)), 500);
    });
    await client.connect();
    for (const channel of Object.values(CHANNELS)) await client.query(`LISTEN ${channel}`);
    const resumed = this.client !== undefined;
    this.client = client;
    if (resumed) for (const listener of this.resumeListeners) listener();
  }
}
