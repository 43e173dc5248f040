import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { PlatformConfig } from '@platform/config';
import { type Actor, type BoundedContext, type CommandEnvelope, commandsTopic } from '@platform/contracts';
import { inTransaction } from '@platform/event-store';
import { traceHeaders } from '@platform/observability';
import { PG_POOL, PLATFORM_CONFIG } from '@platform/service-runtime';
import { type DispatchCompletion, IdempotencyRecords } from '../http/idempotency/idempotency-records';
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

interface Queued {
  envelope: CommandEnvelope;
  topic: string;
  trace: Record<string, string>;
  /** The request's Idempotency-Key answer, recorded in the group's transaction. */
  completion?: DispatchCompletion;
  done: (error?: unknown) => void;
}

/** Transactions of queued dispatches one replica keeps in flight; requests arriving meanwhile form the next group. */
const CONCURRENT_GROUPS = 2;
const MAX_GROUP = 500;

/**
 * Assigns the command id and, in one statement, records `started` and puts the command in the
 * gateway's outbox; the relay publishes it. So a poll never misses the command, and a recorded
 * command is never lost before it reaches Kafka. Concurrent dispatches are group-committed: one
 * statement writes every dispatch queued while the previous one ran, and each caller returns (and
 * answers 202) only once its group has committed. A group that fails is written again one by one, so
 * one bad dispatch fails alone. Each dispatch's Idempotency-Key answer is written in the same
 * transaction as its command.
 */
@Injectable()
export class CommandDispatcher {
  private readonly queue: Queued[] = [];
  private writers = 0;

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
    const completion = await this.idempotency.dispatchCompletion(commandId);
    await new Promise<void>((resolve, reject) => {
      this.queue.push({
        envelope,
        topic: commandsTopic(request.context, this.config.kafkaTopicPrefix),
        // Taken here, in the request's trace; the group is written from whichever request started it.
        trace: traceHeaders(),
        completion,
        done: (error) => (error ? reject(error) : resolve()),
      });
      if (this.writers < CONCURRENT_GROUPS) void this.writeQueued();
    });
    completion?.committed();
    return commandId;
  }

  private async writeQueued(): Promise<void> {
    this.writers += 1;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_GROUP);
        try {
          await this.write(group);
          group.forEach((queued) => queued.done());
        } catch (error) {
          if (group.length === 1) group[0].done(error);
          else for (const queued of group) await this.write([queued]).then(() => queued.done(), (alone: unknown) => queued.done(alone));
        }
      }
    } finally {
      this.writers -= 1;
    }
  }

  /** One statement when no dispatch carries an Idempotency-Key answer; with one, that answer joins it in a transaction. */
  private async write(group: Queued[]): Promise<void> {
    const started = group.map(({ envelope }) => ({ commandId: envelope.metadata.commandId, context: envelope.context, commandType: envelope.command.type, actor: envelope.metadata.actor }));
    const messages = group.map(({ envelope, topic, trace }) => ({
      topic,
      message: { key: envelope.streamId, value: envelope, headers: { 'message-kind': 'command', 'command-type': envelope.command.type, ...trace } },
    }));
    const record = (db: Pick<PoolClient, 'query'>) => this.statuses.recordStartedMany(db, started, (params) => this.outbox.enqueued(params, messages));
    const completions = group.flatMap(({ completion }) => (completion ? [completion] : []));
    if (completions.length === 0) return record(this.pool);
    await inTransaction(this.pool, async (client) => {
      await record(client);
      for (const completion of completions) await completion.record(client);
    });
  }
}
