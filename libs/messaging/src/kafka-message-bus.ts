import {
  Kafka,
  Partitioners,
  logLevel as KafkaLogLevel,
  type Admin,
  type Consumer,
  type IHeaders,
  type KafkaMessage,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import type {
  BusHealth,
  IncomingMessage,
  MessageBus,
  OutgoingMessage,
  Subscription,
  SubscriptionOptions,
} from './message-bus';

export type BusLogLevel = 'error' | 'warn' | 'info' | 'debug';
export type BusLogger = (level: BusLogLevel, message: string, error?: unknown) => void;

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

const defaultLogger: BusLogger = (level, message, error) => {
  const line = `[kafka-bus] ${level.toUpperCase()} ${message}`;
  const detail = error instanceof Error ? error.message : error;
  if (level === 'error') console.error(line, detail ?? '');
  else if (level === 'warn') console.warn(line, detail ?? '');
  else console.log(line, detail ?? '');
};

export class KafkaMessageBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly partitions: number;
  private readonly log: BusLogger;
  private readonly joinTimeoutMs: number;
  private readonly consumers = new Set<Consumer>();
  private producerClient?: Producer;
  private producerReady?: Promise<Producer>;
  private adminClient?: Admin;
  private adminReady?: Promise<Admin>;

  constructor(options: KafkaMessageBusOptions) {
    // kafkajs prints a partitioner-change notice on every producer unless told not to.
    process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
    this.partitions = options.partitions ?? 3;
    this.log = options.log ?? defaultLogger;
    this.joinTimeoutMs = options.joinTimeoutMs ?? 60_000;
    this.kafka = new Kafka({
      brokers: options.brokers,
      clientId: options.clientId,
      connectionTimeout: 3_000,
      logLevel: options.logLevel ?? KafkaLogLevel.WARN,
      logCreator: () => (entry) => this.kafkaLog(entry),
    });
  }

  async ensureTopics(topics: string[]): Promise<void> {
    const unique = [...new Set(topics)];
    if (unique.length === 0) return;
    const admin = await this.admin();
    // Resolves false when every topic already exists; topics that exist are skipped individually.
    await admin.createTopics({
      waitForLeaders: true,
      topics: unique.map((topic) => ({ topic, numPartitions: this.partitions, replicationFactor: 1 })),
    });
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.producer();
    await producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({ key: m.key, value: serialize(m.value), headers: m.headers })),
    });
  }

  async subscribe({ groupId, topics, handler }: SubscriptionOptions): Promise<Subscription> {
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
      sessionTimeout: 10_000,
      heartbeatInterval: 500,
      rebalanceTimeout: 30_000,
      // A failing handler is retried with backoff; when retries run out the consumer crashes, leaves the
      // group and must come back rather than stay dead.
      retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 8, restartOnFailure: async () => true },
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
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          const incoming = toIncoming(topic, partition, message);
          try {
            await handler(incoming);
          } catch (error) {
            this.log('error', `handler failed for ${topic}[${partition}]@${message.offset} (group ${groupId}); will be redelivered`, error);
            throw error;
          }
        },
      });
      await withTimeout(joined, this.joinTimeoutMs, `consumer group ${groupId} did not join`);
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    } finally {
      removeListeners.forEach((remove) => remove());
    }

    this.consumers.add(consumer);
    return {
      stop: async () => {
        if (!this.consumers.delete(consumer)) return;
        await consumer.disconnect();
      },
    };
  }

  async health(): Promise<BusHealth> {
    try {
      const cluster = await withTimeout(
        this.admin().then((admin) => admin.describeCluster()),
        HEALTH_TIMEOUT_MS,
        `no answer within ${HEALTH_TIMEOUT_MS} ms`,
      );
      return { up: true, detail: `${cluster.brokers.length} broker(s), controller ${cluster.controller}` };
    } catch (error) {
      return { up: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    const clients: Array<{ disconnect(): Promise<void> }> = [...this.consumers];
    if (this.producerClient) clients.push(this.producerClient);
    if (this.adminClient) clients.push(this.adminClient);
    this.consumers.clear();
    this.producerClient = this.adminClient = undefined;
    this.producerReady = this.adminReady = undefined;
    await Promise.allSettled(clients.map((client) => client.disconnect()));
  }

  private producer(): Promise<Producer> {
    if (!this.producerReady) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      this.producerClient = producer;
      this.producerReady = connectOnce(producer, () => (this.producerReady = undefined));
    }
    return this.producerReady;
  }

  private admin(): Promise<Admin> {
    if (!this.adminReady) {
      const admin = this.kafka.admin();
      this.adminClient = admin;
      this.adminReady = connectOnce(admin, () => (this.adminReady = undefined));
    }
    return this.adminReady;
  }

  private kafkaLog({ namespace, level, log }: LogEntry): void {
    const { message, error } = log as { message: string; error?: unknown };
    // Handler failures are already reported by `subscribe` with more context.
    if (message === 'Error when calling eachMessage') return;
    const busLevel: BusLogLevel =
      level === KafkaLogLevel.ERROR ? 'error' : level === KafkaLogLevel.WARN ? 'warn' : level === KafkaLogLevel.INFO ? 'info' : 'debug';
    this.log(busLevel, `kafkajs ${namespace}: ${message}`, error);
  }
}

async function connectOnce<T extends { connect(): Promise<void> }>(client: T, onFailure: () => void): Promise<T> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    onFailure();
    throw error;
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

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
