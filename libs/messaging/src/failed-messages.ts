import type { IncomingMessage } from './message-bus';

/** A message its consumer gave up on: kept with what is needed to understand and replay it. */
export interface FailedMessage {
  id: string;
  consumer: string;
  message: IncomingMessage;
  error: string;
  attempts: number;
  /** The id of the earlier failure of the same key this message was parked behind, if it never ran. */
  heldBehind?: string;
}

/**
 * Where a consumer parks the messages it gave up on (a `failed_messages` table in the consuming
 * context's schema). A key with a pending failure is held: later messages of that key are parked
 * behind it, so per-key order survives, while the rest of the partition moves on.
 */
export interface FailedMessageStore {
  /** The id of the oldest pending failure of this key, if any. */
  pendingFor(consumer: string, key: string): Promise<string | undefined>;
  /** The keys among these that have a pending failure (one query for a whole batch). */
  heldKeys(consumer: string, keys: string[]): Promise<Set<string>>;
  record(consumer: string, message: IncomingMessage, error: unknown, attempts: number, heldBehind?: string): Promise<void>;
  /** Keys that have a pending failure someone asked to replay. */
  keysToReplay(consumer: string): Promise<string[]>;
  /** The oldest pending failure of the key, in the order they were parked. */
  nextPending(consumer: string, key: string): Promise<FailedMessage | undefined>;
  resolve(id: string): Promise<void>;
  /** Records a failed replay; the key stays held until the next replay request. */
  failedAgain(id: string, error: unknown, attempts: number): Promise<void>;
}

export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
