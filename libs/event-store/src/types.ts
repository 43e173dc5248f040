import type { Actor, BoundedContext, CommandOutcome, EventMetadata } from '@platform/contracts';

export interface NewEvent {
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
}

/** A value unique across streams (a username, a client id), claimed in the append's transaction. */
export interface UniqueClaim {
  scope: string;
  value: string;
  /** The rejection reason a command gets when the value is taken, e.g. `profile.username_taken`. */
  rejectionReason: string;
}

export interface UniqueRelease {
  scope: string;
  value: string;
}

export interface CommandRecord {
  commandId: string;
  commandType: string;
  status: CommandOutcome;
  reason?: string;
  result?: Record<string, unknown>;
  actor: Actor;
  correlationId: string;
  completedAt: string;
}

export interface AppendRequest {
  streamId: string;
  streamType: string;
  /** Number of events the stream must hold now; 0 for a new stream. */
  expectedVersion: number;
  events: NewEvent[];
  metadata: EventMetadata;
  claims?: UniqueClaim[];
  releases?: UniqueRelease[];
  /** Recorded in the same transaction: the idempotency key and the result to publish. */
  command?: CommandRecord;
}

export interface GlobalCheckpoint {
  transactionId: string;
  position: string;
}

export const START_OF_STORE: GlobalCheckpoint = { transactionId: '0', position: '0' };

export interface EventStoreOptions {
  schema: string;
  context: BoundedContext;
  /** Topic the outbox publishes this context's events and command results to. */
  eventsTopic: string;
}
