import { Controller, type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { TerminusModule } from '@nestjs/terminus';
import type { Pool } from 'pg';
import type { PlatformConfig } from '@platform/config';
import { type BoundedContext, type CommandEnvelope, commandsTopic, ErrorCodes, eventsTopic, type EventsTopicMessage, type RecordedEvent, upcastEvent } from '@platform/contracts';
import { CommandAlreadyProcessedError, EVENT_STORE_MIGRATIONS, migrateSchema, OutboxRelay, PostgresEventStore, type Upcaster } from '@platform/event-store';
import { MESSAGE_BUS, type MessageBus } from '@platform/messaging';
import { inSpan, MetricsController, serviceCommandDuration, timed } from '@platform/observability';
import { CommandProcessor, type ProcessOutcome } from '../command-processor';
import type { AggregateDefinition } from '../decider';
import { FailedMessagesHealth, HealthController, InfrastructureHealth } from './health';
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
  /** Pattern handlers besides the context's own commands, e.g. policies (`@EventPattern(eventsTopic(source), { group })`). */
  controllers?: Type[];
  /** Serve `GET /health` (a service process with HTTP); the embedded mode leaves it to the gateway. */
  withHealthRoute?: boolean;
}

const OPTIONS = Symbol('CONTEXT_SERVICE_OPTIONS');

/** The context's store, its outbox relay, and the command processors; what every pattern handler of the context runs. */
@Injectable()
export class ContextCommands implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly store: PostgresEventStore;
  private readonly relay: OutboxRelay;
  private readonly processors: CommandProcessor<{ type: string }, { type: string }, unknown>[];

  constructor(
    @Inject(OPTIONS) private readonly options: ContextServiceOptions,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(PG_POOL) pool: Pool,
    @Inject(MESSAGE_BUS) bus: MessageBus,
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

  /** Runs before the transport subscribes (Nest bootstraps the module, then the microservice listens). */
  async onApplicationBootstrap(): Promise<void> {
    await migrateSchema({ databaseUrl: this.config.databaseUrl!, schema: this.options.schema, migrations: EVENT_STORE_MIGRATIONS });
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  async handle(envelope: CommandEnvelope): Promise<ProcessOutcome> {
    const processor = this.processors.find((candidate) => candidate.handles(envelope.command.type));
    if (!processor) {
      await this.recordUnknown(envelope);
      return 'rejected';
    }
    const { type } = envelope.command;
    const outcome = await inSpan(`command ${type}`, { attributes: { 'command.type': type, 'command.id': envelope.metadata.commandId } }, () =>
      timed(serviceCommandDuration, { context: this.options.context, type }, () => processor.process(envelope), (result) => result),
    );
    this.logger.debug(`${envelope.command.type} ${envelope.metadata.commandId}: ${outcome}`);
    return outcome;
  }

  private async recordUnknown(envelope: CommandEnvelope): Promise<void> {
    try {
      await this.store.recordOutcome(envelope.streamId, {
        commandId: envelope.metadata.commandId,
        commandType: envelope.command.type,
        status: 'rejected',
        reason: ErrorCodes.commandUnknownType,
        actor: envelope.metadata.actor,
        correlationId: envelope.metadata.correlationId,
        completedAt: new Date().toISOString(),
      });
    } catch (error) {
      if (!(error instanceof CommandAlreadyProcessedError)) throw error;
    }
  }

  /**
   * A batch of commands (one topic's partitions that arrived together, each partition's in order): each
   * processor's share appended in one transaction
   * (`processBatch`), idempotent by command id, so a redelivered batch changes nothing.
   */
  async handleBatch(envelopes: CommandEnvelope[]): Promise<void> {
    const byProcessor = new Map<CommandProcessor<{ type: string }, { type: string }, unknown>, CommandEnvelope[]>();
    for (const envelope of envelopes) {
      const processor = this.processors.find((candidate) => candidate.handles(envelope.command.type));
      if (!processor) {
        await this.handle(envelope);
        continue;
      }
      byProcessor.set(processor, [...(byProcessor.get(processor) ?? []), envelope]);
    }
    for (const [processor, share] of byProcessor) {
      const started = performance.now();
      const outcomes = await inSpan(
        `command ${[...new Set(share.map((e) => e.command.type))].join(' ')}`,
        { attributes: { 'command.count': share.length } },
        () => processor.processBatch(share),
      );
      // Every command of the batch took the batch's time (load, decide, append).
      const seconds = (performance.now() - started) / 1000;
      share.forEach((envelope, i) => serviceCommandDuration.observe({ context: this.options.context, type: envelope.command.type, outcome: outcomes[i].status }, seconds));
      this.logger.debug(`batch of ${share.length}: ${outcomes.map((outcome) => outcome.status).join(', ')}`);
    }
  }

  /** Runs a policy's command for an event; the command id derives from the event, so a redelivered event runs it once. */
  async react(policy: Policy, message: EventsTopicMessage): Promise<ProcessOutcome | undefined> {
    if (message.kind !== 'event' || message.context !== policy.source) return undefined;
    const reaction = policy.react(upcastEvent(message));
    if (!reaction) return undefined;
    return this.handle({
      kind: 'command',
      context: this.options.context,
      streamId: reaction.streamId,
      command: reaction.command,
      metadata: {
        commandId: `${message.streamId}@${message.version}/${reaction.command.type}`,
        correlationId: message.metadata.correlationId,
        causationId: message.metadata.commandId,
        actor: message.metadata.actor,
        issuedAt: message.metadata.occurredAt,
      },
    });
  }
}

/** `<context>.commands`, consumed by the group `<context>-service` by batch: one handler for every command of the context. */
export const commandsController = (context: BoundedContext): Type => {
  @Controller()
  class CommandsController {
    constructor(private readonly commands: ContextCommands) {}

    @MessagePattern(commandsTopic(context), { group: `${context}-service`, batch: true })
    handle(@Payload() envelopes: CommandEnvelope[]): Promise<void> {
      return this.commands.handleBatch(envelopes);
    }
  }
  Object.defineProperty(CommandsController, 'name', { value: `${context}CommandsController` });
  return CommandsController;
};

@Module({})
export class ContextServiceModule {
  static forRoot(options: ContextServiceOptions): DynamicModule {
    return {
      module: ContextServiceModule,
      imports: options.withHealthRoute ? [TerminusModule] : [],
      controllers: [
        commandsController(options.context),
        ...(options.controllers ?? []),
        ...(options.withHealthRoute ? [HealthController, MetricsController] : []),
      ],
      providers: [
        { provide: OPTIONS, useValue: options },
        ContextCommands,
        ...(options.withHealthRoute ? [InfrastructureHealth, FailedMessagesHealth] : []),
      ],
    };
  }
}
