import type { BusLogger } from './bus-logger';
import { coalescedPartitions } from './coalesced-partitions';
import type { FailedMessageStore } from './failed-messages';
import type { BatchHandler, IncomingMessage, MessageHandler } from './message-bus';

export interface RetryPolicy {
  /** Attempts before a message is parked (default 5). */
  maxAttempts: number;
  /** Delay before the second attempt, doubled for each further one (default 100 ms). */
  backoffMs: number;
  /** Upper bound of one delay (default 2 s). */
  maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, backoffMs: 100, maxBackoffMs: 2_000 };

export interface BoundedRetryOptions {
  consumer: string;
  store: FailedMessageStore;
  policy?: Partial<RetryPolicy>;
  log: BusLogger;
  /**
   * A message the consumer already applied by other means (the gateway's inline projection): it is
   * acknowledged at once, without asking the store whether its key is held.
   */
  settled?: (message: IncomingMessage) => boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const backoffDelay = (policy: RetryPolicy, attempt: number): number =>
  Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (attempt - 1));

/**
 * Wraps a handler so that a message that keeps failing never blocks its partition: it is tried
 * `maxAttempts` times with exponential backoff, then parked in the store and the consumer moves on.
 * A message whose key already has a parked failure is parked behind it without running. If parking
 * itself fails (the database is down), the error reaches the bus, which redelivers: nothing is lost.
 */
export function boundedRetry(handler: MessageHandler, options: BoundedRetryOptions): MessageHandler {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  return async (message) => {
    if (options.settled?.(message)) return;
    const blocker = await options.store.pendingFor(options.consumer, message.key);
    if (blocker) {
      await options.store.record(options.consumer, message, `held behind failed message ${blocker}`, 0, blocker);
      return;
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        await handler(message);
        return;
      } catch (error) {
        const where = `${message.topic}[${message.partition}]@${message.offset} (${options.consumer})`;
        if (attempt >= policy.maxAttempts) {
          options.log('error', `handler failed ${attempt} times for ${where}; parked in failed_messages`, error);
          await options.store.record(options.consumer, message, error, attempt);
          return;
        }
        options.log('warn', `handler failed for ${where}, attempt ${attempt} of ${policy.maxAttempts}`, error);
        await sleep(backoffDelay(policy, attempt));
      }
    }
  };
}

/**
 * `boundedRetry` for a batch handler. A batch none of whose keys is held runs whole, once; if it throws
 * (or a key is held) its messages run one at a time under `boundedRetry`, so a poison message is retried,
 * parked and holds its key exactly as with a message handler, while the others of the batch go through.
 * The batch handler must be idempotent: a message of a failed batch runs again alone. Messages `settled`
 * says are already applied are acknowledged up front and never reach the handler.
 *
 * Batches of one topic's partitions that arrive together are first tried as one (`coalescedPartitions`):
 * one held-keys lookup and one handler call (one transaction) instead of one per partition. The handler
 * then sees several partitions' messages, each partition's in order. If that combined try throws, or a
 * key is held, each partition's batch goes the way above on its own, side by side as before, so a
 * poison message in one partition never holds the others back for longer than the failed try.
 */
export function boundedRetryBatch(handler: BatchHandler, options: BoundedRetryOptions): BatchHandler {
  const one = boundedRetry((message) => handler([message]), { ...options, settled: undefined });
  const oneByOne = async (messages: IncomingMessage[]) => {
    for (const message of messages) await one(message);
  };
  /** One try of the whole batch: false if one of its keys is held, or if the handler threw (logged as `failure`). */
  const tried = async (messages: IncomingMessage[], failure: () => string): Promise<boolean> => {
    if ((await options.store.heldKeys(options.consumer, [...new Set(messages.map((m) => m.key))])).size > 0) return false;
    try {
      await handler(messages);
      return true;
    } catch (error) {
      options.log('warn', `${failure()} (${options.consumer})`, error);
      return false;
    }
  };
  const partitionFailure = (messages: IncomingMessage[]) => () =>
    `batch of ${messages.length} from ${messages[0].topic}[${messages[0].partition}]@${messages[0].offset} failed; handling its messages one by one`;
  const alone = async (messages: IncomingMessage[]) => {
    if (!(await tried(messages, partitionFailure(messages)))) await oneByOne(messages);
  };
  // Only the shared try holds the next gathering back: retries after it run on their own, per partition.
  const together = coalescedPartitions(async (batches) => {
    if (batches.length === 1) return [(await tried(batches[0], partitionFailure(batches[0]))) ? Promise.resolve() : oneByOne(batches[0])];
    const messages = batches.flat();
    const failure = () => `batch of ${messages.length} from ${batches.length} partitions of ${messages[0].topic} failed; handling each partition's on its own`;
    return (await tried(messages, failure)) ? batches.map(() => Promise.resolve()) : batches.map(alone);
  });
  return async (batch) => {
    const messages = options.settled ? batch.filter((message) => !options.settled!(message)) : batch;
    if (messages.length === 0) return;
    await together(messages);
  };
}
