import type { IncomingMessage, MessageBus, OutgoingMessage, Subscription, SubscriptionOptions } from '@platform/messaging';
import { withCorrelationId } from './log-context';
import { consumerLag, onScrape } from './metrics';
import { inSpan, SpanKind } from './tracing';

const correlationIdOf = (value: unknown): string | undefined => {
  const message = value as { metadata?: { correlationId?: unknown }; correlationId?: unknown } | null;
  const id = message?.metadata?.correlationId ?? message?.correlationId;
  return typeof id === 'string' && id !== '' ? id : undefined;
};

/**
 * The messaging port with observability around it: each delivery runs in a consumer span that
 * continues the trace its headers carry, with the message's correlation id on every log line; the
 * adapter's consumer lag is sampled on each scrape.
 */
export class ObservedMessageBus implements MessageBus {
  private readonly stopSampling: () => void;

  /** `ownsInner`: close the adapter with this bus (a shared in-process bus is closed by its owner). */
  constructor(
    private readonly inner: MessageBus,
    private readonly ownsInner = true,
  ) {
    this.stopSampling = onScrape(async () => {
      for (const lag of (await inner.consumerLag?.()) ?? []) {
        consumerLag.set({ group: lag.groupId, topic: lag.topic, partition: String(lag.partition) }, lag.lag);
      }
    });
  }

  ensureTopics(topics: string[]): Promise<void> {
    return this.inner.ensureTopics(topics);
  }

  publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    return this.inner.publish(topic, messages);
  }

  subscribe(options: SubscriptionOptions): Promise<Subscription> {
    const { groupId, topics, batchHandler, handler } = options;
    const attributes = (message: IncomingMessage) => ({
      'messaging.destination.name': message.topic,
      'messaging.consumer.group.name': groupId,
      'messaging.destination.partition.id': String(message.partition),
      'messaging.kafka.offset': message.offset,
    });
    if (batchHandler) {
      // A batch mixes traces and correlation ids: its span continues the first message's trace.
      return this.inner.subscribe({
        groupId,
        topics,
        batchHandler: (messages) =>
          inSpan(
            `process ${messages[0].topic}`,
            { kind: SpanKind.CONSUMER, parentHeaders: messages[0].headers, attributes: { ...attributes(messages[0]), 'messaging.batch.message_count': messages.length } },
            () => batchHandler(messages),
          ),
      });
    }
    return this.inner.subscribe({
      groupId,
      topics,
      handler: (message) =>
        inSpan(`process ${message.topic}`, { kind: SpanKind.CONSUMER, parentHeaders: message.headers, attributes: attributes(message) }, () =>
          withCorrelationId(correlationIdOf(message.value), () => handler!(message)),
        ),
    });
  }

  health() {
    return this.inner.health();
  }

  consumerLag() {
    return this.inner.consumerLag?.() ?? Promise.resolve([]);
  }

  consumerStates() {
    return this.inner.consumerStates?.() ?? [];
  }

  async close(): Promise<void> {
    this.stopSampling();
    if (this.ownsInner) await this.inner.close();
  }
}
