import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { type PlatformConfig, schemaName } from '@platform/config';
import { type Actor, type CommandEnvelope, eventsTopic, type GrantCommand, type GrantEvent, grantStreamId } from '@platform/contracts';
import { EVENT_STORE_MIGRATIONS, migrateSchema, PostgresEventStore } from '@platform/event-store';
import { Projector } from '@platform/projector';
import { type BatchOutcome, CommandProcessor, PG_POOL, PLATFORM_CONFIG } from '@platform/service-runtime';
import { type Grant, grantAggregate } from '@platform/token-domain';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { GroupCommit } from '../commands/group-commit';
import { GrantStatusCache } from '../http/grant-status-cache';
import { applicationActivityProjection } from '../read-models/application-activity.projection';
import { grantsProjection } from '../read-models/grants.projection';
import { eventKeyOf, InlineApplied } from '../read-models/inline-applied';

/**
 * The token context's grant commands, decided in the gateway's process: the token service's own
 * decider and event store (the `token` schema: expected versions, the outbox in the same transaction,
 * so Kafka and the token service see the same facts). They are answered here, with fresh ids, so no
 * processed-command row or result message is kept for them: nothing redelivers or polls them. Concurrent
 * commands are group-committed: while a batch's transaction is in flight the next one gathers, and a
 * batch is one load query and one transaction. The gateway's grants and usage read models are applied
 * in that same transaction, so a token is usable on any replica as soon as it is returned.
 */
@Injectable()
export class GrantCommands implements OnApplicationBootstrap {
  readonly store: PostgresEventStore;
  private readonly processor: CommandProcessor<GrantCommand, GrantEvent, Grant>;
  private readonly inlineProjections: Projector;
  private readonly batches = new GroupCommit((envelopes: CommandEnvelope<GrantCommand>[]) => this.commit(envelopes));

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(PG_POOL) pool: Pool,
    @Inject(GATEWAY_SCHEMA) gatewaySchema: string,
    private readonly grantStatus: GrantStatusCache,
    private readonly inline: InlineApplied,
  ) {
    this.store = new PostgresEventStore(pool, { schema: schemaName('token'), context: 'token', eventsTopic: eventsTopic('token', config.kafkaTopicPrefix) });
    this.processor = new CommandProcessor(this.store, grantAggregate);
    this.inlineProjections = new Projector(pool, gatewaySchema, [grantsProjection, applicationActivityProjection]);
  }

  /** The gateway appends grant commands to the token store, so it migrates that schema too (the token service may start later). */
  async onApplicationBootstrap(): Promise<void> {
    await migrateSchema({ databaseUrl: this.config.databaseUrl!, schema: this.store.schema, migrations: EVENT_STORE_MIGRATIONS });
  }

  /** Decides and commits the command; resolves once its events (or its rejection) are committed. */
  run(command: GrantCommand, actor: Actor): Promise<BatchOutcome<GrantEvent>> {
    const commandId = uuidv7();
    const envelope: CommandEnvelope<GrantCommand> = {
      kind: 'command',
      context: 'token',
      streamId: grantStreamId(command.grantId),
      command,
      metadata: { commandId, correlationId: commandId, causationId: commandId, actor, issuedAt: new Date().toISOString() },
    };
    return this.batches.submit(envelope);
  }

  private async commit(envelopes: CommandEnvelope<GrantCommand>[]): Promise<BatchOutcome<GrantEvent>[]> {
    let written: string[] = [];
    const outcomes = await this.processor.processBatch(envelopes, {
      recordCommands: false,
      // The read models and their checkpoints ride on the statement that writes the events' outbox rows.
      alongside: (client, events, params) => {
        written = events.map((event) => eventKeyOf(event.streamId, event.version)); // the last attempt's are the ones committed
        return this.inlineProjections.appendedParts(client, events, params);
      },
    });
    // Only once committed: the bus's later delivery of these is skipped without a round trip.
    for (const key of written) this.inline.remember(key);
    // This replica forgets a revoked grant before answering; the others on the projection's NOTIFY.
    for (const outcome of outcomes) for (const event of outcome.events) if (event.type === 'GrantRevoked') this.grantStatus.forget(event.grantId);
    return outcomes;
  }
}
