import type { CommandEnvelope, RecordedEvent } from '@platform/contracts';
import { ErrorCodes } from '@platform/contracts';
import {
  type AppendBatchOptions,
  type AppendRequest,
  CommandAlreadyProcessedError,
  type CommandRecord,
  type PostgresEventStore,
  UniqueClaimConflictError,
  WrongExpectedVersionError,
} from '@platform/event-store';
import { type AggregateDefinition, CommandRejected } from './decider';

export type ProcessOutcome = 'succeeded' | 'rejected' | 'duplicate';

/** One command's outcome in a batch: what it appended, its result, or why it was refused. */
export interface BatchOutcome<Event> {
  status: ProcessOutcome;
  reason?: string;
  result?: Record<string, unknown>;
  events: Event[];
}

const DEADLOCK = '40P01';

/**
 * Decided states of recently used streams, at the version they were folded to: a batch then reads only
 * the events appended since. Events are never rewritten, so an entry is never wrong, at most behind.
 */
export class StreamStates<State> {
  private readonly entries = new Map<string, { state: State; version: number }>();

  constructor(private readonly max = 10_000) {}

  get(streamId: string): { state: State; version: number } | undefined {
    return this.entries.get(streamId);
  }

  set(streamId: string, state: State, version: number): void {
    if ((this.entries.get(streamId)?.version ?? -1) >= version) return;
    this.entries.delete(streamId);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(streamId, { state, version });
  }
}

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
    /** `processBatch` keeps the states it decided on here and then reads only newer events. */
    private readonly states?: StreamStates<State>,
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

  /**
   * Many commands at once: their streams loaded in one query, decided in memory in order (several
   * commands of one stream evolve one after the other), appended in one transaction. A command that
   * lost a version race is decided again alone with the others of its stream; a taken claim or an
   * exhausted retry budget rejects only that command.
   * With `recordCommands: false` (synchronous commands with fresh ids, decided where they are answered:
   * nothing redelivers them and nobody polls them) no processed-command row or result message is written.
   */
  async processBatch(envelopes: CommandEnvelope<Command>[], options: AppendBatchOptions & { recordCommands?: boolean } = {}): Promise<BatchOutcome<Event>[]> {
    const record = options.recordCommands === false ? () => undefined : this.record.bind(this);
    const { decider } = this.aggregate;
    const outcomes: BatchOutcome<Event>[] = new Array(envelopes.length);
    const forced = new Map<number, string>();
    let pending = envelopes.map((_, index) => index);
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > this.maxAttempts) for (const index of pending) if (!forced.has(index)) forced.set(index, ErrorCodes.commandConcurrencyConflict);
      const assumedEmpty = (index: number) => attempt === 1 && this.aggregate.startsStream?.(envelopes[index].command) === true;
      const toRead = pending.filter((index) => !forced.has(index) && !assumedEmpty(index)).map((index) => envelopes[index].streamId);
      const known = new Map(toRead.flatMap((id) => (this.states?.get(id) ? [[id, this.states.get(id)!] as const] : [])));
      // First attempt: a kept state is trusted unread. A stale one loses the append's version check and is
      // read on the next attempt; a rejection decided on it is not answered before a read confirms it.
      const trusted = new Set(attempt === 1 ? known.keys() : []);
      const unread = toRead.filter((id) => !trusted.has(id));
      const streams = await this.store.readStreams(unread, known.size > trusted.size ? new Map([...known].map(([id, { version }]) => [id, version])) : undefined);
      for (const id of trusted) streams.set(id, { events: [], version: known.get(id)!.version });
      const states = new Map(
        [...streams].map(([id, stream]) => [
          id,
          { state: stream.events.map((e) => toDomainEvent<Event>(e)).reduce(decider.evolve, known.get(id)?.state ?? decider.initialState()), version: stream.version },
        ]),
      );
      for (const [id, { state, version }] of states) if (!trusted.has(id)) this.states?.set(id, state, version);
      for (const index of pending) if (assumedEmpty(index) && !states.has(envelopes[index].streamId)) states.set(envelopes[index].streamId, { state: decider.initialState(), version: 0 });
      let requests: AppendRequest[] = [];
      let planned: BatchOutcome<Event>[] = [];
      const suspect = new Set<string>();
      for (const index of pending) {
        const envelope = envelopes[index];
        const rejection = forced.get(index);
        const stream = states.get(envelope.streamId);
        let events: Event[] = [];
        try {
          if (rejection || !stream) throw new CommandRejected(rejection ?? ErrorCodes.commandConcurrencyConflict);
          events = decider.decide(envelope.command, stream.state, { now: envelope.metadata.issuedAt });
        } catch (error) {
          if (!(error instanceof CommandRejected)) throw error;
          if (!rejection && trusted.has(envelope.streamId)) suspect.add(envelope.streamId);
          requests.push({ ...this.appendOf(envelope, 0, []), command: record(envelope, 'rejected', error.reason) });
          planned.push({ status: 'rejected', reason: error.reason, events: [] });
          continue;
        }
        const result = this.aggregate.resultFor?.(envelope.command, events);
        requests.push({
          ...this.appendOf(envelope, stream.version, events, stream.state),
          command: record(envelope, 'succeeded', undefined, result),
        });
        planned.push({ status: 'succeeded', result, events });
        stream.state = events.reduce(decider.evolve, stream.state);
        stream.version += events.length;
      }
      // A stream with a rejection decided unread is decided again, all its commands, after reading it.
      let sent = pending;
      const deferred = pending.filter((index) => suspect.has(envelopes[index].streamId));
      if (deferred.length > 0) {
        const kept = pending.map((index) => !suspect.has(envelopes[index].streamId));
        sent = pending.filter((_, position) => kept[position]);
        requests = requests.filter((_, position) => kept[position]);
        planned = planned.filter((_, position) => kept[position]);
      }
      let appended;
      try {
        appended = await this.store.appendBatch(requests, options);
      } catch (error) {
        if ((error as { code?: string }).code === DEADLOCK) continue;
        throw error;
      }
      const retry: number[] = [...deferred];
      // A stream all of whose requests went in is now at the state this round decided.
      const behind = new Set([...suspect, ...sent.filter((_, position) => appended[position].status !== 'appended').map((index) => envelopes[index].streamId)]);
      for (const [id, { state, version }] of states) if (!behind.has(id)) this.states?.set(id, state, version);
      appended.forEach((outcome, position) => {
        const index = sent[position];
        if (outcome.status === 'appended') outcomes[index] = planned[position];
        else if (outcome.status === 'duplicate') outcomes[index] = { status: 'duplicate', events: [] };
        else {
          if (outcome.status === 'claim-conflict') forced.set(index, outcome.reason);
          retry.push(index);
        }
      });
      pending = retry.sort((a, b) => a - b);
    }
    return outcomes;
  }

  private appendOf(envelope: CommandEnvelope<Command>, expectedVersion: number, events: Event[], state?: State): Omit<AppendRequest, 'command'> {
    return {
      streamId: envelope.streamId,
      streamType: this.aggregate.streamType,
      expectedVersion,
      events: events.map(({ type, ...data }) => ({ type, schemaVersion: this.aggregate.schemaVersionOf(type), data })),
      metadata: {
        commandId: envelope.metadata.commandId,
        correlationId: envelope.metadata.correlationId,
        causationId: envelope.metadata.commandId,
        actor: envelope.metadata.actor,
        occurredAt: envelope.metadata.issuedAt,
      },
      claims: events.flatMap((e) => this.aggregate.claimsFor?.(e) ?? []),
      releases: state ? events.flatMap((e) => this.aggregate.releasesFor?.(e, state) ?? []) : [],
    };
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
