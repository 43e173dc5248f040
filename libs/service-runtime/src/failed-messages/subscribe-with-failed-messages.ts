import {
  boundedRetry,
  boundedRetryBatch,
  type BusLogger,
  FailedMessageReplayer,
  type IncomingMessage,
  type MessageBus,
  type MessageHandler,
  type Subscription,
  type SubscriptionOptions,
} from '@platform/messaging';
import type { PostgresFailedMessageStore } from './postgres-failed-message-store';

/**
 * `bus.subscribe` for a consumer that is not a Nest pattern handler (the gateway's projections): the
 * same bounded retry, parking in `failed_messages` and replay on request as `MessageBusServer`, for a
 * message handler or a batch handler (a failed batch is retried message by message).
 */
export async function subscribeWithFailedMessages(
  bus: MessageBus,
  store: PostgresFailedMessageStore,
  options: SubscriptionOptions & { log: BusLogger; settled?: (message: IncomingMessage) => boolean },
): Promise<Subscription> {
  const { groupId: consumer, topics, log, batchHandler, settled } = options;
  const retry = { consumer, store, log, settled };
  const handler: MessageHandler = batchHandler ? (message) => batchHandler([message]) : options.handler!;
  const subscription = batchHandler
    ? await bus.subscribe({ groupId: consumer, topics, batchHandler: boundedRetryBatch(batchHandler, retry) })
    : await bus.subscribe({ groupId: consumer, topics, handler: boundedRetry(handler, retry) });
  const replayer = new FailedMessageReplayer({ consumer, store, handler, log });
  replayer.start();
  return {
    stop: async () => {
      await replayer.stop();
      await subscription.stop();
    },
  };
}
