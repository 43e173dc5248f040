import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler as NestHandler, Server } from '@nestjs/microservices';
import { lastValueFrom, type Observable, throwError } from 'rxjs';
import { boundedRetry, boundedRetryBatch, type RetryPolicy } from '../bounded-retry';
import { consoleBusLogger, type BusLogger } from '../bus-logger';
import { FailedMessageReplayer } from '../failed-message-replayer';
import type { FailedMessageStore } from '../failed-messages';
import type { BatchHandler, IncomingMessage, MessageBus, MessageHandler, Subscription } from '../message-bus';
import { MessageBusBatchContext, MessageBusContext } from './message-bus.context';

/** The `extras` of `@MessagePattern` / `@EventPattern` on this transport. The pattern is the topic without prefix. */
export interface BusPatternExtras {
  /** Consumer group (without prefix); handlers of one group share its subscription. */
  group: string;
  /**
   * The handler takes a batch: an array of payloads of one topic, each partition's messages consecutive
   * and in order (`@Ctx()` is a `MessageBusBatchContext`); with a failed-message store, the batches of
   * partitions that arrive together come as one. A group with a batch handler is consumed by batch; a
   * failed batch is handled again by partition, then message by message (batches of one), so the handler
   * must be idempotent.
   */
  batch?: boolean;
}

export interface MessageBusServerOptions {
  bus: MessageBus;
  /** `KAFKA_TOPIC_PREFIX`: prepended to every pattern (topic) and group. */
  prefix: string;
  /** Parks messages that keep failing (bounded retry); without it a failure goes back to the bus, which redelivers. */
  failures?: FailedMessageStore;
  retry?: Partial<RetryPolicy>;
  replayPollMs?: number;
  log?: BusLogger;
}

/**
 * A Nest transport (`CustomTransportStrategy`) over our `MessageBus` port, so handlers are
 * `@MessagePattern` / `@EventPattern` methods whatever the bus: Kafka or the in-process one. Each
 * group gets one subscription (per-key order, consumer groups and redelivery stay the bus's); a
 * message runs every handler of its topic in that group, in order. A command handler's return value
 * is not sent back: results travel as `command-result` messages through the outbox.
 */
export class MessageBusServer extends Server implements CustomTransportStrategy {
  private readonly subscriptions: Subscription[] = [];
  private readonly replayers: FailedMessageReplayer[] = [];
  private readonly log: BusLogger;

  constructor(private readonly options: MessageBusServerOptions) {
    super();
    this.log = options.log ?? consoleBusLogger('message-bus-server');
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const { bus, prefix, failures } = this.options;
      const groups = this.handlersByGroup();
      await bus.ensureTopics([...groups.values()].flatMap((topics) => [...topics.keys()]));
      for (const [group, topics] of groups) {
        const consumer = `${prefix}${group}`;
        const log = this.log;
        const policy = this.options.retry;
        const batched = [...topics.values()].flat().some((handler) => isBatch(handler));
        const dispatchBatch: BatchHandler = async (messages) => {
          for (const handler of topics.get(messages[0].topic) ?? []) {
            if (isBatch(handler)) await this.invokeBatch(handler, messages);
            else for (const message of messages) await this.invoke(handler, message);
          }
        };
        const dispatch: MessageHandler = batched
          ? (message) => dispatchBatch([message])
          : async (message) => {
              for (const handler of topics.get(message.topic) ?? []) await this.invoke(handler, message);
            };
        const subscription = batched
          ? { batchHandler: failures ? boundedRetryBatch(dispatchBatch, { consumer, store: failures, policy, log }) : dispatchBatch }
          : { handler: failures ? boundedRetry(dispatch, { consumer, store: failures, policy, log }) : dispatch };
        this.subscriptions.push(await bus.subscribe({ groupId: consumer, topics: [...topics.keys()], ...subscription }));
        if (failures) {
          const replayer = new FailedMessageReplayer({ consumer, store: failures, handler: dispatch, log, pollIntervalMs: this.options.replayPollMs });
          replayer.start();
          this.replayers.push(replayer);
        }
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.replayers.splice(0).map((replayer) => replayer.stop()));
    for (const subscription of this.subscriptions.splice(0)) await subscription.stop();
  }

  on(): never {
    throw new Error('MessageBusServer emits no events; use the MessageBus health instead');
  }

  unwrap<T>(): T {
    return this.options.bus as T;
  }

  /** group → topic → handlers (an event pattern may have several, chained through `next`). */
  private handlersByGroup(): Map<string, Map<string, NestHandler[]>> {
    const groups = new Map<string, Map<string, NestHandler[]>>();
    for (const [pattern, first] of this.messageHandlers) {
      const group = (first.extras as Partial<BusPatternExtras> | undefined)?.group;
      if (!group) throw new Error(`pattern "${pattern}" has no consumer group: declare it as @EventPattern(topic, { group })`);
      const topics = groups.get(group) ?? new Map<string, NestHandler[]>();
      groups.set(group, topics);
      const topic = `${this.options.prefix}${pattern}`;
      const handlers = topics.get(topic) ?? [];
      for (let handler: NestHandler | undefined = first; handler; handler = handler.next) handlers.push(handler);
      topics.set(topic, handlers);
    }
    return groups;
  }

  private async invokeBatch(handler: NestHandler, messages: IncomingMessage[]): Promise<void> {
    const result = this.transformToObservable(await handler(messages.map((m) => m.value), new MessageBusBatchContext(messages)));
    await lastValueFrom(result as Observable<unknown>, { defaultValue: undefined });
  }

  private async invoke(handler: NestHandler, message: IncomingMessage): Promise<void> {
    const result = this.transformToObservable(await handler(message.value, new MessageBusContext(message)));
    await lastValueFrom(result as Observable<unknown>, { defaultValue: undefined });
  }
}

const isBatch = (handler: NestHandler): boolean => (handler.extras as Partial<BusPatternExtras> | undefined)?.batch === true;

/**
 * Nest's default RPC filter turns an unknown error into `{status:'error', message:'Internal server
 * error'}`; this one passes the original error on, so retries log it and a parked message records it.
 */
@Catch()
export class RethrowRpcErrors implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
