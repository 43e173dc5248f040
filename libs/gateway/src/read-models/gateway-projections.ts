import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { type PlatformConfig, schemaName } from '@platform/config';
import { allTopics, type BoundedContext, type CommandResult, CONTEXTS, eventsTopic, type EventsTopicMessage, type RecordedEvent, upcastEvent } from '@platform/contracts';
import { inTransaction } from '@platform/event-store';
import { type IncomingMessage, MESSAGE_BUS, type MessageBus, type Subscription } from '@platform/messaging';
import { inSpan, onScrape, projectionLag } from '@platform/observability';
import { Projector } from '@platform/projector';
import { PG_POOL, PLATFORM_CONFIG, PostgresFailedMessageStore, subscribeWithFailedMessages } from '@platform/service-runtime';
import { CommandStatusRepository } from '../commands/command-status.repository';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { authorizationTokensProjection } from './authorization-tokens.projection';
import { qrTokensProjection } from './qr-tokens.projection';
import { oauthApplicationsProjection } from './oauth-applications.projection';
import { grantsProjection } from './grants.projection';
import { applicationActivityProjection } from './application-activity.projection';
import { profileCredentialsProjection } from './profile-credentials.projection';
import { consentsProjection } from './consents.projection';
import { eventKeyOf, InlineApplied, resultKeyOf } from './inline-applied';

export const GATEWAY_PROJECTIONS = [
  profileCredentialsProjection,
  authorizationTokensProjection,
  qrTokensProjection,
  oauthApplicationsProjection,
  grantsProjection,
  applicationActivityProjection,
  consentsProjection,
];

/**
 * Consumes every `<context>.events` topic. Events update the read models; a command's result,
 * published after its events with the same key, then marks the command terminal. So a command
 * reported `succeeded` is already visible to every query that depends on it.
 */
@Injectable()
export class GatewayProjections implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('GatewayProjections');
  readonly projector: Projector;
  private subscription?: Subscription;
  /** The highest global position of each context's store this replica applied. */
  private readonly applied = new Map<BoundedContext, bigint>();
  private stopSampling?: () => void;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    private readonly statuses: CommandStatusRepository,
    private readonly inline: InlineApplied,
  ) {
    this.projector = new Projector(pool, schema, GATEWAY_PROJECTIONS);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.stopSampling = onScrape(() => this.sampleLag());
    const prefix = this.config.kafkaTopicPrefix;
    await this.bus.ensureTopics(allTopics(prefix));
    this.subscription = await subscribeWithFailedMessages(this.bus, new PostgresFailedMessageStore(this.pool, this.schema), {
      groupId: `${prefix}gateway`,
      topics: CONTEXTS.map((context) => eventsTopic(context, prefix)),
      batchHandler: (messages) => this.handleBatch(messages),
      settled: (message) => this.appliedInline(message.value as EventsTopicMessage),
      log: (level, message, error) => this.logger[level === 'info' ? 'log' : level](`${message}: ${(error as Error | undefined)?.message ?? ''}`),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopSampling?.();
    await this.subscription?.stop();
  }

  /** Head of each store in commit order minus what was applied; unknown until this replica applied one of its events. */
  private async sampleLag(): Promise<void> {
    for (const [context, applied] of this.applied) {
      const { rows } = await this.pool.query<{ position: string }>(
        `SELECT global_position AS position FROM "${schemaName(context)}".events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
      );
      const head = rows.length > 0 ? BigInt(rows[0].position) : 0n;
      projectionLag.set({ context }, Number(head > applied ? head - applied : 0n));
    }
  }

  /** True once for what a synchronous grant command of this replica already applied (events) or needs no status (results). */
  private appliedInline(message: EventsTopicMessage): boolean {
    return this.inline.consume(message.kind === 'event' ? eventKeyOf(message.streamId, message.version) : resultKeyOf(message.commandId));
  }

  /**
   * A batch (one topic's partitions that arrived together, see `boundedRetryBatch`) in one transaction:
   * its events through the projector (per-stream checkpoints in the same transaction), then its command
   * results as one UPDATE, which also raises the checkpoints. A result follows its events in their
   * partition, so it is never committed before them.
   */
  private async handleBatch(messages: IncomingMessage[]): Promise<void> {
    const events: RecordedEvent[] = [];
    const results: CommandResult[] = [];
    for (const { value } of messages) {
      const message = value as EventsTopicMessage;
      // Usually filtered by `settled` already; a replayed or retried message comes here directly.
      if (this.appliedInline(message)) continue;
      if (message.kind === 'event') events.push(upcastEvent(message));
      else results.push(message);
    }
    if (events.length === 0 && results.length === 0) return;
    const completed = await inSpan(`project ${[...new Set(events.map((e) => `${e.context}:${e.type}`))].join(' ') || 'results'}`, { attributes: { 'batch.events': events.length, 'batch.results': results.length } }, () =>
      inTransaction(this.pool, async (client) =>
        // The checkpoint update rides on the statement that completes the results.
        this.projector.applyWithin(client, events, (alongside) => this.statuses.completeMany(client, results, alongside)),
      ),
    );
    for (const event of events) {
      const position = BigInt(event.globalPosition.position);
      if (position > (this.applied.get(event.context) ?? 0n)) this.applied.set(event.context, position);
    }
    this.logger.debug(`batch of ${messages.length}: ${events.length} event(s) applied, ${completed} command(s) terminal`);
  }
}
