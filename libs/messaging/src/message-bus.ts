/**
 * The messaging port. Kafka in the distributed stack, an in-process log in the embedded default;
 * both adapters pass the same contract suite (`message-bus.contract.ts`).
 *
 * Semantics both adapters guarantee:
 * - at-least-once delivery: a message whose handler throws is delivered again (after a short backoff);
 *   a handler that resolves commits the message;
 * - per-key order inside a topic (the key picks the partition);
 * - a consumer group sees every message once across its members; different groups each see all;
 * - a new group starts from the beginning of the topic;
 * - `subscribe` resolves once the consumer has joined its group and will receive messages;
 * - a batch subscription (`batchHandler`) receives consecutive messages of one partition of one topic, in
 *   offset order; resolving commits them all, throwing redelivers the whole batch from its first message.
 */
export interface OutgoingMessage {
  key: string;
  value: unknown;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: unknown;
  headers: Record<string, string>;
}

export type MessageHandler = (message: IncomingMessage) => Promise<void>;

/** Consecutive messages of one topic partition, oldest first (never empty). */
export type BatchHandler = (messages: IncomingMessage[]) => Promise<void>;

export type SubscriptionOptions = {
  groupId: string;
  topics: string[];
} & ({ handler: MessageHandler; batchHandler?: never } | { batchHandler: BatchHandler; handler?: never });

export interface Subscription {
  stop(): Promise<void>;
}

export interface BusHealth {
  up: boolean;
  detail?: string;
}

/** One subscription of this process: `running` once it has joined its group and is consuming. */
export interface ConsumerState {
  groupId: string;
  topics: string[];
  state: 'joining' | 'running' | 'restarting' | 'crashed';
}

/** Messages of one partition a consumer group has not handled yet. */
export interface ConsumerLag {
  groupId: string;
  topic: string;
  partition: number;
  lag: number;
}

export interface MessageBus {
  /** Creates the topics if they do not exist (never relies on broker auto-creation). */
  ensureTopics(topics: string[]): Promise<void>;
  /** Resolves once every message is durably accepted (acks=all, idempotent producer on Kafka). */
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscriptionOptions): Promise<Subscription>;
  health(): Promise<BusHealth>;
  /** The subscriptions of this process that have not been stopped, for readiness checks. */
  consumerStates?(): ConsumerState[];
  /** Per group and partition, how far consumers are behind (for metrics); optional for other adapters. */
  consumerLag?(): Promise<ConsumerLag[]>;
  close(): Promise<void>;
}

/** Nest injection token for the bus. */
export const MESSAGE_BUS = Symbol('MESSAGE_BUS');
