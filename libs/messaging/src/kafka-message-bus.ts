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
  type SASLOptions,
} from 'kafkajs';
import type {
  BusHealth,
  ConsumerLag,
  ConsumerState,
  IncomingMessage,
  MessageBus,
  OutgoingMessage,
  Subscription,
  SubscriptionOptions,
} from './message-bus';
import { consoleBusLogger, type BusLogger, type BusLogLevel } from './bus-logger';
import { withTimeout } from './with-timeout';

export interface KafkaMessageBusOptions {
  brokers: string[];
  clientId: string;
  /** Partitions of the topics `ensureTopics` creates (default 3). */
  partitions?: number;
  /** Replication factor of the topics `ensureTopics` creates (default 1). */
  replicationFactor?: number;
  /** TLS (true, or CA/certificate/key PEMs) and SASL, passed to kafkajs as they are. */
  ssl?: KafkaConfig['ssl'];
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** kafkajs's own log level (default WARN). */
  logLevel?: KafkaLogLevel;
  log?: BusLogger;
  /** How long `subscribe` waits for the group join (default 60 s). */
  joinTimeoutMs?: number;
  /**
   * Consumer session timeout (default 3 s). After a broker restart or a killed process, the group waits this
   * long for the members that are gone before it hands their partitions on; handlers heartbeat every second.
   */
  sessionTimeoutMs?: number;
}

const HEALTH_TIMEOUT_MS = 3_000;
/**
 * Reconnection is quick and capped at 1 s between attempts: after a broker restart every client is back
 * within about a second of the broker answering (kafkajs's defaults back off up to 30 s).
 */
const CLIENT_RETRY = { initialRetryTime: 100, maxRetryTime: 1_000, retries: 10 };
/** A long handler (a slow database under overload) still heartbeats, so its consumer is never evicted. */
const HANDLER_HEARTBEAT_MS = 1_000;
const COMMIT_INTERVAL_MS = 1_000;
/** A consumer that crashed for good (kafkajs gives up on non-retriable errors) is replaced after this, doubling up to 5 s. */
const RESUBSCRIBE_DELAY_MS = 250;

export class KafkaMessageBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly partitions: number;
  private readonly replicationFactor: number;
  private readonly log: BusLogger;
  private readonly logLevel: KafkaLogLevel;
  private readonly joinTimeoutMs: number;
  private readonly sessionTimeoutMs: number;
  private readonly consumers = new Set<Consumer>();
  private readonly stateOf = new Map<Consumer, ConsumerState>();
  private readonly lags = new Map<string, ConsumerLag>();
  private readonly producer: LazyClient<Producer>;
  private readonly admin: LazyClient<Admin>;
  private readonly healthAdmin: LazyClient<Admin>;

  constructor(options: KafkaMessageBusOptions) {
    // kafkajs prints a partitioner-change notice on every producer unless told not to.
    process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
    this.partitions = options.partitions ?? 3;
    this.replicationFactor = options.replicationFactor ?? 1;
    this.logLevel = options.logLevel ?? KafkaLogLevel.WARN;
    this.log = options.log ?? consoleBusLogger('kafka-bus');
    this.joinTimeoutMs = options.joinTimeoutMs ?? 60_000;
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 3_000;
    const config: KafkaConfig = {
      brokers: options.brokers,
      clientId: options.clientId,
      ...(options.ssl ? { ssl: options.ssl } : {}),
      ...(options.sasl ? { sasl: options.sasl as SASLOptions } : {}),
      connectionTimeout: 3_000,
      retry: CLIENT_RETRY,
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
      () =>
        admin.createTopics({
          waitForLeaders: true,
          topics: unique.map((topic) => ({ topic, numPartitions: this.partitions, replicationFactor: this.replicationFactor })),
        }),
      (attempt, error) => this.log('warn', `creating topics failed (attempt ${attempt}); retrying`, error),
    ).catch((error: Error & { errors?: Array<{ topic?: string; type?: string; message?: string }> }) => {
      // kafkajs says only "Topic creation errors"; name each topic's reason (e.g. INVALID_REPLICATION_FACTOR).
      if (!error.errors?.length) throw error;
      const reasons = error.errors.map((each) => `${each.topic}: ${each.type ?? ''} ${each.message ?? ''}`.trim());
      throw new Error(`could not create topics (replication factor ${this.replicationFactor}): ${reasons.join('; ')}`, { cause: error });
    });
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.producer.get();
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({ key: m.key, value: serialize(m.value), headers: m.headers })),
      });
    } catch (error) {
      await this.replaceProducer(producer, error);
      throw error;
    }
  }

  /**
   * A failed send can leave the idempotent producer's sequence numbers out of step with the broker (after a
   * broker kill: OUT_OF_ORDER_SEQUENCE_NUMBER, UNKNOWN_PRODUCER_ID, … on every later send). The caller retries
   * (the outbox keeps its rows), so the next send gets a fresh producer with a new producer id.
   */
  private async replaceProducer(failed: Producer, cause: unknown): Promise<void> {
    if (!this.producer.discard(failed)) return;
    this.log('warn', 'publish failed; the next one uses a new producer', cause);
    await failed.disconnect().catch(() => undefined);
  }

  /**
   * kafkajs restarts a crashed consumer only after retriable errors; after any other crash the group is
   * joined again with a new consumer, so a subscription never ends before stop().
   */
  async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    let stopped = false;
    let current: Subscription | undefined;
    const resubscribe = async (): Promise<void> => {
      for (let delay = RESUBSCRIBE_DELAY_MS; !stopped; delay = Math.min(delay * 2, 5_000)) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (stopped) return;
        try {
          const next = await this.subscribeOnce(options, resubscribe);
          if (stopped) await next.stop();
          else current = next;
          return;
        } catch (error) {
          this.log('error', `rejoining consumer group ${options.groupId} failed; retrying`, error);
        }
      }
    };
    current = await this.subscribeOnce(options, resubscribe);
    return {
      stop: async () => {
        stopped = true;
        await current?.stop();
      },
    };
  }

  private async subscribeOnce({ groupId, topics, handler, batchHandler }: SubscriptionOptions, onFatalCrash: () => Promise<void>): Promise<Subscription> {
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      // A fetch answers as soon as one message is there; this bounds only the idle long-poll. At 20 ms every
      // idle consumer woke itself and the broker 50 times a second, which cost the busy ones about a tenth
      // of their throughput on two cores; 100 ms keeps a stop or a rebalance prompt.
      maxWaitTimeInMs: 100,
      sessionTimeout: this.sessionTimeoutMs,
      heartbeatInterval: 500,
      rebalanceTimeout: 30_000,
      // A failing handler (or a lost broker) is retried with backoff capped at 1 s; when retries run out the
      // consumer crashes, leaves the group and restarts after initialRetryTime rather than stay dead.
      retry: { ...CLIENT_RETRY, restartOnFailure: async () => true },
    });

    const state: ConsumerState = { groupId, topics: [...topics], state: 'joining' };
    // Kept for readiness: kafkajs restarts a crashed consumer (restartOnFailure), which joins again.
    consumer.on(consumer.events.GROUP_JOIN, () => (state.state = 'running'));
    consumer.on(consumer.events.CRASH, ({ payload }) => (state.state = payload.restart ? 'restarting' : 'crashed'));
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
        // Offsets are committed at most every COMMIT_INTERVAL_MS rather than after every fetch: an OffsetCommit
        // is a replicated log write on the broker, and handlers are idempotent, so what a crash redelivers is harmless.
        autoCommitInterval: COMMIT_INTERVAL_MS,
        // Partitions are independent (order is per key, hence per partition): handle them side by side.
        partitionsConsumedConcurrently: this.partitions,
        ...(batchHandler
          ? {
              // Nothing is resolved unless the handler resolves: a throw redelivers the whole batch.
              eachBatch: async ({ batch, heartbeat }) => {
                if (batch.messages.length === 0) return;
                const incoming = batch.messages.map((message) => toIncoming(batch.topic, batch.partition, message));
                try {
                  await heartbeating(heartbeat, () => batchHandler(incoming));
                } catch (error) {
                  failed(`${batch.topic}[${batch.partition}]@${batch.firstOffset()}..${batch.lastOffset()}`, error);
                  throw error;
                }
                await heartbeat();
              },
            }
          : {
              eachMessage: async ({ topic, partition, message, heartbeat }) => {
                const incoming = toIncoming(topic, partition, message);
                try {
                  await heartbeating(heartbeat, () => handler!(incoming));
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
    this.stateOf.set(consumer, state);
    const stopCrash = consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || !this.consumers.delete(consumer)) return;
      this.log('error', `consumer of group ${groupId} crashed and kafkajs will not restart it; rejoining`, payload.error);
      stopCrash();
      stopLag();
      void consumer.disconnect().catch(() => undefined);
      void onFatalCrash();
    });
    return {
      stop: async () => {
        stopCrash();
        if (!this.consumers.delete(consumer)) return;
        this.stateOf.delete(consumer);
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

  consumerStates(): ConsumerState[] {
    return [...this.stateOf.values()].map((state) => ({ ...state }));
  }

  async close(): Promise<void> {
    const consumers = [...this.consumers];
    this.consumers.clear();
    this.stateOf.clear();
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

  /** Forgets `client` if it is still the current one (the next get() makes another); false if already replaced. */
  discard(client: T): boolean {
    if (this.client !== client) return false;
    this.client = undefined;
    this.ready = undefined;
    return true;
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

/** Runs work while heartbeating every second, so a slow handler does not outlast the session timeout. */
async function heartbeating<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    // A failed beat (a rebalance) is reported by kafkajs's own beat after the handler.
    heartbeat().catch(() => undefined);
  }, HANDLER_HEARTBEAT_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
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
