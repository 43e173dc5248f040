import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { PlatformConfig } from '@platform/config';
import { OutboxRelay, outboxChannel, qualified } from '@platform/event-store';
import { MESSAGE_BUS, type MessageBus, type OutgoingMessage } from '@platform/messaging';
import { traceHeaders } from '@platform/observability';
import { PG_POOL, PLATFORM_CONFIG } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';

/**
 * Commands leave the gateway through its own outbox, written in the transaction that records
 * `started`: a command is either recorded and (eventually) published, or neither.
 */
@Injectable()
export class CommandOutbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CommandOutbox');
  private readonly relay: OutboxRelay;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
    @Inject(MESSAGE_BUS) bus: MessageBus,
  ) {
    this.relay = new OutboxRelay(pool, bus, {
      schema,
      connectionString: config.databaseUrl!,
      onError: (error) => this.logger.warn(`command relay: ${(error as Error).message}`),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  /** Many messages in one INSERT, in order, and one wake-up for the relay. Trace headers are the caller's to add (each message's own request). */
  async enqueueMany(client: PoolClient, messages: readonly { topic: string; message: OutgoingMessage }[]): Promise<void> {
    if (messages.length === 0) return;
    await client.query(
      `INSERT INTO ${qualified(this.schema, 'outbox')} (topic, message_key, payload, headers)
       SELECT topic, message_key, payload::jsonb, headers::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS t(topic, message_key, payload, headers, n)
        ORDER BY n`,
      [
        messages.map((m) => m.topic),
        messages.map((m) => m.message.key),
        messages.map((m) => JSON.stringify(m.message.value)),
        messages.map((m) => JSON.stringify(m.message.headers ?? {})),
      ],
    );
    await client.query(`SELECT pg_notify($1, '')`, [outboxChannel(this.schema)]);
  }

  async enqueue(client: PoolClient, topic: string, message: OutgoingMessage): Promise<void> {
    await client.query(`INSERT INTO ${qualified(this.schema, 'outbox')} (topic, message_key, payload, headers) VALUES ($1, $2, $3, $4)`, [
      topic,
      message.key,
      message.value,
      { ...message.headers, ...traceHeaders() },
    ]);
    await client.query(`SELECT pg_notify($1, '')`, [outboxChannel(this.schema)]);
  }
}
