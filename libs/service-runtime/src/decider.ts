import type { UniqueClaim, UniqueRelease } from '@platform/event-store';

/** What a decider knows besides the command and the state: the clock, read from the command's metadata. */
export interface DecisionContext {
  now: string;
}

export interface Decider<Command, Event, State> {
  decide(command: Command, state: State, context: DecisionContext): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Thrown by `decide` to refuse a command with a stable, machine-readable reason. */
export class CommandRejected extends Error {
  constructor(
    readonly reason: string,
    message?: string,
  ) {
    super(message ?? reason);
    this.name = 'CommandRejected';
  }
}

/** Everything the runtime needs to run one aggregate of a bounded context. */
export interface AggregateDefinition<Command extends { type: string }, Event extends { type: string }, State> {
  streamType: string;
  decider: Decider<Command, Event, State>;
  commandTypes: readonly Command['type'][];
  schemaVersionOf(type: Event['type']): number;
  claimsFor?(event: Event): UniqueClaim[];
  releasesFor?(event: Event, state: State): UniqueRelease[];
  /**
   * Commands that only ever start a stream (the decider refuses them on any other state): their first
   * attempt reads nothing and expects an empty stream; if it is not, the append loses and the retry reads it.
   */
  startsStream?(command: Command): boolean;
  /** The outcome shown to the caller in `request-status.result`. */
  resultFor?(command: Command, events: Event[]): Record<string, unknown> | undefined;
}
