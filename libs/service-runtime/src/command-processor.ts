import type { CommandEnvelope, RecordedEvent } from '@platform/contracts';
import { ErrorCodes } from '@platform/contracts';
import {
  CommandAlreadyProcessedError,
  type CommandRecord,
  type PostgresEventStore,
  UniqueClaimConflictError,
  WrongExpectedVersionError,
} from '@platform/event-store';
import { type AggregateDefinition, CommandRejected } from './decider';

export type ProcessOutcome = 'succeeded' | 'rejected' | 'duplicate';

const toDomainEvent = <E>(event: RecordedEvent): E => ({ type: event.type, ...event.data }) as E;

/**
 * Loads the stream, decides, and appends with the version it loaded; on a version conflict it
 * reloads and decides again, a bounded number of times. A command id is processed at most once.
 */
export class CommandProcessor<Command extends { type: string }, Event extends { type: string }, State> {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly aggregate: AggregateDefinition<Command, Event, State>,
    private readonly maxAttempts = 5,
  ) {}

  handles(type: string): boolean {
    return (this.aggregate.commandTypes as readonly string[]).includes(type);
  }

  async process(envelope: CommandEnvelope<Command>): Promise<ProcessOutcome> {
    const { decider } = this.aggregate;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      if (await this.store.findCommand(envelope.metadata.commandId)) return 'duplicate';
      const { events: history, version } = await this.store.readStream(envelope.streamId);
      const state = history.map((e) => toDomainEvent<Event>(e)).reduce(decider.evolve, decider.initialState());
      let events: Event[];
      try {
        events = decider.decide(envelope.command, state, { now: envelope.metadata.issuedAt });
      } catch (error) {
        if (error instanceof CommandRejected) return this.reject(envelope, error.reason);
        throw error;
      }
      try {
        await this.store.append({
          streamId: envelope.streamId,
          streamType: this.aggregate.streamType,
          expectedVersion: version,
          events: events.map(({ type, ...data }) => ({ type, schemaVersion: this.aggregate.schemaVersionOf(type), data })),
          metadata: {
            commandId: envelope.metadata.commandId,
            correlationId: envelope.metadata.correlationId,
            causationId: envelope.metadata.commandId,
            actor: envelope.metadata.actor,
            occurredAt: envelope.metadata.issuedAt,
          },
          claims: events.flatMap((e) => this.aggregate.claimsFor?.(e) ?? []),
          releases: events.flatMap((e) => this.aggregate.releasesFor?.(e, state) ?? []),
          command: this.record(envelope, 'succeeded', undefined, this.aggregate.resultFor?.(envelope.command, events)),
        });
        return 'succeeded';
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) continue;
        if (error instanceof UniqueClaimConflictError) return this.reject(envelope, error.rejectionReason);
        if (error instanceof CommandAlreadyProcessedError) return 'duplicate';
        throw error;
      }
    }
    return this.reject(envelope, ErrorCodes.commandConcurrencyConflict);
  }

  private async reject(envelope: CommandEnvelope<Command>, reason: string): Promise<ProcessOutcome> {
    try {
      await this.store.recordOutcome(envelope.streamId, this.record(envelope, 'rejected', reason));
      return 'rejected';
    } catch (error) {
      if (error instanceof CommandAlreadyProcessedError) return 'duplicate';
      throw error;
    }
  }

  private record(
    envelope: CommandEnvelope<Command>,
    status: CommandRecord['status'],
    reason?: string,
    result?: Record<string, unknown>,
  ): CommandRecord {
    return {
      commandId: envelope.metadata.commandId,
      commandType: envelope.command.type,
      status,
      reason,
      result,
      actor: envelope.metadata.actor,
      correlationId: envelope.metadata.correlationId,
      completedAt: new Date().toISOString(),
    };
  }
}
