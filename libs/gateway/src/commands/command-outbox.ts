import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type { PlatformConfig } from '@platform/config';
import { OutboxRelay, outboxChannel, qualified } from '@platform/event-store';
import { MESSAGE_BUS, type MessageBus, type OutgoingMessage } from '@platform/messaging';
import { PG_POOL, PLATFORM_CONFIG } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';

/**
 * Commands leave the gateway through its own outbox, written in the statement that records
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

  /**
   * `messages` as part of the caller's statement: a `queued` CTE inserting them in order, and the relay's
   * wake-up as a select item, their parameters pushed onto `params`. One statement commits them with the
   * caller's own rows: the command is recorded and published, or neither.
   */
  enqueued(params: unknown[], messages: readonly { topic: string; message: OutgoingMessage }[]): { cte: string; wakeUp: string } {
    const at = (values: unknown[]) => `$${params.push(values)}::text[]`;
    const columns = [
      at(messages.map((m) => m.topic)),
      at(messages.map((m) => m.message.key)),
      at(messages.map((m) => JSON.stringify(m.message.value))),
      at(messages.map((m) => JSON.stringify(m.message.headers ?? {}))),
    ];
    return {
      cte: `queued AS (
         INSERT INTO ${qualified(this.schema, 'outbox')} (topic, message_key, payload, headers)
         SELECT topic, message_key, payload::jsonb, headers::jsonb
           FROM unnest(${columns.join(', ')}) WITH ORDINALITY AS t(topic, message_key, payload, headers, n)
          ORDER BY n)`,
      wakeUp: `pg_notify($${params.push(outboxChannel(this.schema))}, '')`,
    };
  }
}
