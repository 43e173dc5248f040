import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import type { Pool } from 'pg';
import type { PlatformConfig } from '@platform/config';
import {
  allTopics,
  type BoundedContext,
  type CommandEnvelope,
  commandsTopic,
  ErrorCodes,
  eventsTopic,
  type EventsTopicMessage,
  type RecordedEvent,
  upcastEvent,
} from '@platform/contracts';
import { EVENT_STORE_MIGRATIONS, migrateSchema, OutboxRelay, PostgresEventStore, type Upcaster } from '@platform/event-store';
import { MESSAGE_BUS, type MessageBus, type Subscription } from '@platform/messaging';
import { CommandProcessor } from '../command-processor';
import type { AggregateDefinition } from '../decider';
import { HealthController, InfrastructureHealth } from './health';
import { PG_POOL, PLATFORM_CONFIG } from './tokens';

/** Reacts to another context's events with a command of this context (a policy / process manager). */
export interface Policy {
  source: BoundedContext;
  /** The command to run for an event, or undefined to ignore it. */
  react(event: RecordedEvent): { streamId: string; command: { type: string } } | undefined;
}

export interface ContextServiceOptions {
  context: BoundedContext;
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  aggregates: AggregateDefinition<any, any, any>[];
  upcast?: Upcaster;
  policies?: Policy[];
  /** Serve `GET /health` (a service process with HTTP); the embedded mode leaves it to the gateway. */
  withHealthRoute?: boolean;
}

const OPTIONS = Symbol('CONTEXT_SERVICE_OPTIONS');

/** Consumes `<context>.commands`, runs each command through its aggregate, relays the outbox to `<context>.events`. */
@Injectable()
class ContextService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly store: PostgresEventStore;
  private readonly relay: OutboxRelay;
  private readonly processors: CommandProcessor<{ type: string }, { type: string }, unknown>[];
  private readonly subscriptions: Subscription[] = [];

  constructor(
    @Inject(OPTIONS) private readonly options: ContextServiceOptions,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(PG_POOL) pool: Pool,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
  ) {
    this.logger = new Logger(`${options.context}-service`);
    const topic = eventsTopic(options.context, config.kafkaTopicPrefix);
    this.store = new PostgresEventStore(pool, { schema: options.schema, context: options.context, eventsTopic: topic }, options.upcast);
    this.relay = new OutboxRelay(pool, bus, {
      schema: options.schema,
      connectionString: config.databaseUrl!,
      onError: (error) => this.logger.warn(`outbox relay: ${(error as Error).message}`),
    });
    this.processors = options.aggregates.map((aggregate) => new CommandProcessor(this.store, aggregate));
  }

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.kafkaTopicPrefix;
    await migrateSchema({ databaseUrl: this.config.databaseUrl!, schema: this.options.schema, migrations: EVENT_STORE_MIGRATIONS });
    await this.bus.ensureTopics(allTopics(prefix));
    await this.relay.start();
    this.subscriptions.push(
      await this.bus.subscribe({
        groupId: `${prefix}${this.options.context}-service`,
        topics: [commandsTopic(this.options.context, prefix)],
        handler: async (message) => this.handle(message.value as CommandEnvelope),
      }),
    );
    const policies = this.options.policies ?? [];
    if (policies.length > 0) {
      this.subscriptions.push(
        await this.bus.subscribe({
          groupId: `${prefix}${this.options.context}-policies`,
          topics: [...new Set(policies.map((policy) => eventsTopic(policy.source, prefix)))],
          handler: async (message) => this.react(message.value as EventsTopicMessage),
        }),
      );
    }
    this.logger.log(`consuming ${commandsTopic(this.options.context, prefix)}`);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const subscription of this.subscriptions) await subscription.stop();
    await this.relay.stop();
  }

  /** The command id derives from the event, so a redelivered event runs its command once. */
  private async react(message: EventsTopicMessage): Promise<void> {
    if (message.kind !== 'event') return;
    for (const policy of this.options.policies ?? []) {
      if (policy.source !== message.context) continue;
      const reaction = policy.react(upcastEvent(message));
      if (!reaction) continue;
      const commandId = `${message.streamId}@${message.version}/${reaction.command.type}`;
      await this.handle({
        kind: 'command',
        context: this.options.context,
        streamId: reaction.streamId,
        command: reaction.command,
        metadata: {
          commandId,
          correlationId: message.metadata.correlationId,
          causationId: message.metadata.commandId,
          actor: message.metadata.actor,
          issuedAt: message.metadata.occurredAt,
        },
      });
    }
  }

  private async handle(envelope: CommandEnvelope): Promise<void> {
    const processor = this.processors.find((candidate) => candidate.handles(envelope.command.type));
    if (!processor) {
      await this.store.recordOutcome(envelope.streamId, {
        commandId: envelope.metadata.commandId,
        commandType: envelope.command.type,
        status: 'rejected',
        reason: ErrorCodes.commandUnknownType,
        actor: envelope.metadata.actor,
        correlationId: envelope.metadata.correlationId,
        completedAt: new Date().toISOString(),
      });
      return;
    }
    const outcome = await processor.process(envelope);
    this.logger.debug(`${envelope.command.type} ${envelope.metadata.commandId}: ${outcome}`);
  }
}

@Module({})
export class ContextServiceModule {
  static forRoot(options: ContextServiceOptions): DynamicModule {
    return {
      module: ContextServiceModule,
      imports: options.withHealthRoute ? [TerminusModule] : [],
      controllers: options.withHealthRoute ? [HealthController] : [],
      providers: [
        { provide: OPTIONS, useValue: options },
        ContextService,
        ...(options.withHealthRoute ? [InfrastructureHealth] : []),
      ],
    };
  }
}
