import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { PlatformConfig } from '@platform/config';
import { type Actor, type BoundedContext, type CommandEnvelope, commandsTopic } from '@platform/contracts';
import { inTransaction } from '@platform/event-store';
import { PG_POOL, PLATFORM_CONFIG } from '@platform/service-runtime';
import { IdempotencyRecords } from '../http/idempotency/idempotency-records';
import { CommandOutbox } from './command-outbox';
import { CommandStatusRepository } from './command-status.repository';

export interface Dispatch<C extends { type: string }> {
  context: BoundedContext;
  streamId: string;
  command: C;
  actor: Actor;
  /** Use a known id, when the id is also the new aggregate's id (an application's id). */
  commandId?: string;
  correlationId?: string;
}

/**
 * Assigns the command id and, in one transaction, records `started` and puts the command in the
 * gateway's outbox; the relay publishes it. So a poll never misses the command, and a recorded
 * command is never lost before it reaches Kafka.
 */
@Injectable()
export class CommandDispatcher {
  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly statuses: CommandStatusRepository,
    private readonly outbox: CommandOutbox,
    private readonly idempotency: IdempotencyRecords,
  ) {}

  newCommandId(): string {
    return uuidv7();
  }

  async dispatch<C extends { type: string }>(request: Dispatch<C>): Promise<string> {
    const commandId = request.commandId ?? uuidv7();
    const envelope: CommandEnvelope<C> = {
      kind: 'command',
      context: request.context,
      streamId: request.streamId,
      command: request.command,
      metadata: {
        commandId,
        correlationId: request.correlationId ?? commandId,
        causationId: commandId,
        actor: request.actor,
        issuedAt: new Date().toISOString(),
      },
    };
    const committed = await inTransaction(this.pool, async (client) => {
      await this.statuses.recordStarted(client, commandId, request.context, request.command.type, request.actor);
      await this.outbox.enqueue(client, commandsTopic(request.context, this.config.kafkaTopicPrefix), {
        key: request.streamId,
        value: envelope,
        headers: { 'message-kind': 'command', 'command-type': request.command.type },
      });
      return this.idempotency.completeDispatch(client, commandId);
    });
    committed?.();
    return commandId;
  }
}
