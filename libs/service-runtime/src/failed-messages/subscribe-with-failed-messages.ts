import { boundedRetry, type BusLogger, FailedMessageReplayer, type MessageBus, type Subscription, type SubscriptionOptions } from '@platform/messaging';
import type { PostgresFailedMessageStore } from './postgres-failed-message-store';

/**
 * `bus.subscribe` for a consumer that is not a Nest pattern handler (the gateway's projections): the
 * same bounded retry, parking in `failed_messages` and replay on request as `MessageBusServer`.
 */
export async function subscribeWithFailedMessages(
  bus: MessageBus,
  store: PostgresFailedMessageStore,
  options: SubscriptionOptions & { log: BusLogger },
): Promise<Subscription> {
  await store.ensureSchema();
  const { groupId: consumer, handler, log } = options;
  const subscription = await bus.subscribe({ groupId: consumer, topics: options.topics, handler: boundedRetry(handler, { consumer, store, log }) });
  const replayer = new FailedMessageReplayer({ consumer, store, handler, log });
  replayer.start();
  return {
    stop: async () => {
      await replayer.stop();
      await subscription.stop();
    },
  };
}
