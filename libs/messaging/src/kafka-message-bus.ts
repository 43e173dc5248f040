import {
  Kafka,
  Partitioners,
  logLevel as KafkaLogLevel,
  type Admin,
  type Consumer,
  type IHeaders,
  type KafkaConfig,
  type KafkaMessage,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import type {
  BusHealth,
  ConsumerLag,
  IncomingMessage,
  MessageBus,
  OutgoingMessage,
  Subscription,
  SubscriptionOptions,
} from './message-bus';
import { consoleBusLogger, type BusLogger, type BusLogLevel } from './bus-logger';

export interface KafkaMessageBusOptions {
  brokers: string[];
  clientId: string;
  /** Partitions of the topics `ensureTopics` creates (default 3). */
  partitions?: number;
  /** kafkajs's own log level (default WARN). */
  logLevel?: KafkaLogLevel;
  log?: BusLogger;
  /** How long `subscribe` waits for the group join (default 60 s). */
  joinTimeoutMs?: number;
}

const HEALTH_TIMEOUT_MS = 3_000;

export class KafkaMessageBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly partitions: number;
  private readonly log: BusLogger;
  private readonly logLevel: KafkaLogLevel;
  private readonly joinTimeoutMs: number;
  private readonly consumers = new Set<Consumer>();
  private readonly lags = new Map<string, ConsumerLag>();
  private readonly producer: LazyClient<Producer>;
  private readonly admin: LazyClient<Admin>;
  private readonly healthAdmin: LazyClient<Admin>;

  constructor(options: KafkaMessageBusOptions) {
    // kafkajs prints a partitioner-change notice on every producer unless told not to.
    process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
    this.partitions = options.partitions ?? 3;
    this.logLevel = options.logLevel ?? KafkaLogLevel.WARN;
    this.log = options.log ?? consoleBusLogger('kafka-bus');
    this.joinTimeoutMs = options.joinTimeoutMs ?? 60_000;
    const config: KafkaConfig = {
      brokers: options.brokers,
      clientId: options.clientId,
      connectionTimeout: 3_000,
      logLevel: this.logLevel,
      logCreator: () => (entry) => this.kafkaLog(entry),
    };
    const kafka = new Kafka(config);
    // Connection retries are set per Kafka instance: health checks use one that gives up fast, so they answer
    // promptly and a failed connect does not linger after close().
    const fastFail = new Kafka({ ...config, retry: { initialRetryTime: 200, maxRetryTime: 1_000, retries: 3 } });
    this.kafka = kafka;
    this.admin = new LazyClient(() => kafka.admin());
    this.healthAdmin = new LazyClient(() => fastFail.admin());
    this.producer = new LazyClient(() =>
      kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
    );
  }

  async ensureTopics(topics: string[]): Promise<void> {
    const unique = [...new Set(topics)];
    if (unique.length === 0) return;
    const admin = await this.admin.get();
    // Resolves false when every topic already exists; topics that exist are skipped individually. Processes
    // starting together create the same topics: waiting for leaders can then time out on a busy broker.
    await retryRetriable(
      () => admin.createTopics({ waitForLeaders: true, topics: unique.map((topic) => ({ topic, numPartitions: this.partitions, replicationFactor: 1 })) }),
      (attempt, error) => this.log('warn', `creating topics failed (attempt ${attempt}); retrying`, error),
    );
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.producer.get();
    await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({ key: m.key, value: serialize(m.value), headers: m.headers })),
    });
  }

  async subscribe({ groupId, topics, handler, batchHandler }: SubscriptionOptions): Promise<Subscription> {
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      // A fetch answers as soon as one message is there; this bounds only the idle long-poll.
      maxWaitTimeInMs: 20,
      sessionTimeout: 10_000,
      heartbeatInterval: 500,
      rebalanceTimeout: 30_000,
      // A failing handler is retried with backoff; when retries run out the consumer crashes, leaves the
      // group and must come back rather than stay dead.
      retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 8, restartOnFailure: async () => true },
    });

    // The lag each fetched batch leaves behind it (high watermark minus the batch's last offset).
    const stopLag = consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      this.lags.set(`${groupId}\u0000${payload.topic}\u0000${payload.partition}`, {
        groupId,
        topic: payload.topic,
        partition: payload.partition,
        lag: Number(payload.offsetLag),
      });
    });
    let removeListeners: Array<() => void> = [];
    const joined = new Promise<void>((resolve, reject) => {
      removeListeners = [
        consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          if (!payload.restart) reject(payload.error);
        }),
      ];
    });
    joined.catch(() => undefined);

    try {
      await consumer.connect();
      // A topic another process just created may not be in the broker's metadata yet.
      await retryRetriable(() => consumer.subscribe({ topics, fromBeginning: true }), (attempt, error) =>
        this.log('warn', `subscribing ${groupId} failed (attempt ${attempt}); retrying`, error),
      );
      const failed = (where: string, error: unknown) =>
        this.log('error', `handler failed for ${where} (group ${groupId}); will be redelivered`, error);
      await consumer.run({
        // Partitions are independent (order is per key, hence per partition): handle them side by side.
        partitionsConsumedConcurrently: this.partitions,
        ...(batchHandler
          ? {
              // Nothing is resolved unless the handler resolves: a throw redelivers the whole batch.
              eachBatch: async ({ batch, heartbeat }) => {
                if (batch.messages.length === 0) return;
                try {
                  await batchHandler(batch.messages.map((message) => toIncoming(batch.topic, batch.partition, message)));
                } catch (error) {
                  failed(`${batch.topic}[${batch.partition}]@${batch.firstOffset()}..${batch.lastOffset()}`, error);
                  throw error;
                }
                await heartbeat();
              },
            }
          : {
              eachMessage: async ({ topic, partition, message }) => {
                try {
                  await handler!(toIncoming(topic, partition, message));
                } catch (error) {
                  failed(`${topic}[${partition}]@${message.offset}`, error);
                  throw error;
                }
              },
            }),
      });
      await withTimeout(joined, this.joinTimeoutMs, `consumer group ${groupId} did not join`);
    } catch (error) {
      stopLag();
      await consumer.disconnect().catch(() => undefined);
      throw error;
    } finally {
      removeListeners.forEach((remove) => remove());
    }

    this.consumers.add(consumer);
    return {
      stop: async () => {
        if (!this.consumers.delete(consumer)) return;
        stopLag();
        for (const [slot, lag] of this.lags) if (lag.groupId === groupId) this.lags.delete(slot);
        await consumer.disconnect();
      },
    };
  }

  async consumerLag(): Promise<ConsumerLag[]> {
    return [...this.lags.values()];
  }

  async health(): Promise<BusHealth> {
    try {
      const cluster = await withTimeout(
        this.healthAdmin.get().then((admin) => admin.describeCluster()),
        HEALTH_TIMEOUT_MS,
        `no answer within ${HEALTH_TIMEOUT_MS} ms`,
      );
      return { up: true, detail: `${cluster.brokers.length} broker(s), controller ${cluster.controller}` };
    } catch (error) {
      return { up: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    const consumers = [...this.consumers];
    this.consumers.clear();
    await Promise.allSettled([
      ...consumers.map((consumer) => consumer.disconnect()),
      this.producer.disconnect(),
      this.admin.disconnect(),
      this.healthAdmin.disconnect(),
    ]);
  }

  private kafkaLog({ namespace, level, log }: LogEntry): void {
    const { message, error } = log as { message: string; error?: unknown };
    // Handler failures are already reported by `subscribe`, with more context.
    if (message === 'Error when calling eachMessage' || message === 'Error when calling eachBatch') return;
    // Error responses are retried by kafkajs and reach the caller if they persist; rebalances are routine.
    // kafkajs still reports both as errors/warnings, e.g. while a fresh broker creates __consumer_offsets.
    const routine = (namespace === 'Connection' && message.startsWith('Response ')) || /rebalanc/i.test(message);
    const effective = routine ? Math.max(level, KafkaLogLevel.INFO) : level;
    if (effective > this.logLevel) return;
    const busLevel: BusLogLevel =
      effective === KafkaLogLevel.ERROR ? 'error' : effective === KafkaLogLevel.WARN ? 'warn' : effective === KafkaLogLevel.INFO ? 'info' : 'debug';
    this.log(busLevel, `kafkajs ${namespace}: ${message}`, error);
  }
}

/** Created and connected on first use; a failed connect is retried by the next call. */
class LazyClient<T extends { connect(): Promise<void>; disconnect(): Promise<void> }> {
  private client?: T;
  private ready?: Promise<T>;

  constructor(private readonly create: () => T) {}

  get(): Promise<T> {
    if (!this.ready) {
      const client = this.create();
      this.client = client;
      this.ready = client.connect().then(
        () => client,
        (error: unknown) => {
          this.ready = undefined;
          throw error;
        },
      );
    }
    return this.ready;
  }

  async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.ready = undefined;
    await client?.disconnect();
  }
}

function serialize(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('Message value is not JSON-serializable');
  return json;
}

function toIncoming(topic: string, partition: number, message: KafkaMessage): IncomingMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? '',
    value: message.value === null ? null : (JSON.parse(message.value.toString()) as unknown),
    headers: decodeHeaders(message.headers),
  };
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) result[name] = value.toString();
  }
  return result;
}

/** Retries an operation kafkajs reports as retriable (after its own retries), a few times, a second apart. */
async function retryRetriable<T>(run: () => Promise<T>, onRetry: (attempt: number, error: unknown) => void, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || (error as { retriable?: boolean }).retriable !== true) throw error;
      onRetry(attempt, error);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
