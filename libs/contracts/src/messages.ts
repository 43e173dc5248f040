import type { BoundedContext } from './topics';

/** Who a command acts for: a profile, an application acting for a profile, or the system. */
export interface Actor {
  profileId?: string;
  applicationId?: string;
}

export interface CommandMetadata {
  commandId: string;
  correlationId: string;
  causationId: string;
  actor: Actor;
  /** ISO 8601 time the gateway accepted the command: the decider's clock. */
  issuedAt: string;
}

/** What travels on `<context>.commands`, keyed by `streamId`. */
export interface CommandEnvelope<C extends { type: string } = { type: string }> {
  kind: 'command';
  context: BoundedContext;
  streamId: string;
  command: C;
  metadata: CommandMetadata;
}

export interface EventMetadata {
  commandId: string;
  correlationId: string;
  causationId: string;
  actor: Actor;
  occurredAt: string;
}

/** An event as read from the store (after upcasting) and as published on `<context>.events`. */
export interface RecordedEvent<E extends { type: string } = { type: string }> {
  kind: 'event';
  context: BoundedContext;
  streamId: string;
  streamType: string;
  version: number;
  /** Global position inside the context's store: `transactionId:position`, ordered as a tuple. */
  globalPosition: { transactionId: string; position: string };
  type: E['type'];
  schemaVersion: number;
  data: Omit<E, 'type'>;
  metadata: EventMetadata;
}

export type CommandOutcome = 'succeeded' | 'rejected';

/** Published on `<context>.events` with the same key as the command's stream, after its events. */
export interface CommandResult {
  kind: 'command-result';
  context: BoundedContext;
  commandId: string;
  commandType: string;
  streamId: string;
  status: CommandOutcome;
  /** Machine-readable rejection reason such as `profile.username_taken`. */
  reason?: string;
  result?: Record<string, unknown>;
  actor: Actor;
  correlationId: string;
  completedAt: string;
}

export type EventsTopicMessage = RecordedEvent | CommandResult;

export const COMMAND_STATUS_CODE = { started: 1, succeeded: 2, rejected: 3 } as const;
export type CommandStatus = keyof typeof COMMAND_STATUS_CODE;
export const COMMAND_SUCCEEDED_BODY = 'Command completed successfully';
