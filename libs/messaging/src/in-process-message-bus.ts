import type {
  ConsumerState,
  BusHealth,
  ConsumerLag,
  IncomingMessage,
  BatchHandler,
  MessageBus,
  OutgoingMessage,
  Subscription,
  SubscriptionOptions,
} from './message-bus';
import { consoleBusLogger, type BusLogger } from './bus-logger';

export interface InProcessMessageBusOptions {
  /** Partitions per topic (default 3, like the Kafka adapter). */
  partitions?: number;
  /** Delay before a message whose handler threw is delivered again (default 100 ms). */
  retryBackoffMs?: number;
  /** Most messages one batch subscription receives at once (default 500). */
  maxBatchSize?: number;
  log?: BusLogger;
}

interface StoredMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

interface Member {
  id: number;
  topics: ReadonlySet<string>;
  /** A message handler receives batches of one. */
  deliver: BatchHandler;
  batchSize: number;
  inFlight: Set<Promise<void>>;
}

interface Group {
  members: Member[];
  offsets: Map<string, number>;
  draining: Set<string>;
}

/**
 * The embedded-mode bus: an append-only log per partition and per-group offsets, with the Kafka adapter's
 * semantics. Each (group, partition) is drained by a single loop, so delivery is sequential per partition
 * (a batch subscription receives everything pending on the partition, up to `maxBatchSize`, at once)
 * and exactly one member receives each message; the loop picks the member the partition is assigned to
 * (members subscribed to the topic, in join order, round-robin over partitions) at every message,
 * which makes joins and leaves rebalance without overlap.
 */
export class InProcessMessageBus implements MessageBus {
  private readonly partitions: number;
  private readonly retryBackoffMs: number;
  private readonly maxBatchSize: number;
  private readonly log: BusLogger;
  private readonly topics = new Map<string, StoredMessage[][]>();
  private readonly groups = new Map<string, Group>();
  private nextMemberId = 1;
  private readonly stateOf = new Set<ConsumerState>();
  private closed = false;

  constructor(options: InProcessMessageBusOptions = {}) {
    this.partitions = options.partitions ?? 3;
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.log = options.log ?? consoleBusLogger('in-process-bus');
  }

  async ensureTopics(topics: string[]): Promise<void> {
    for (const topic of topics) {
      if (!this.topics.has(topic)) {
        this.topics.set(topic, Array.from({ length: this.partitions }, () => []));
      }
    }
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.assertOpen();
    const log = this.topicLog(topic);
    // Serialize everything before appending anything, so a bad value leaves the log untouched.
    const stored = messages.map((m) => ({
      partition: partitionFor(m.key, log.length),
      message: { key: m.key, value: serialize(m.value), headers: { ...(m.headers ?? {}) } },
    }));
    const touched = new Set<number>();
    for (const { partition, message } of stored) {
      log[partition].push(message);
      touched.add(partition);
    }
    for (const group of this.groups.values()) {
      for (const partition of touched) this.schedule(group, topic, partition);
    }
  }

  async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    this.assertOpen();
    for (const topic of options.topics) this.topicLog(topic);
    const group = this.group(options.groupId);
    const member: Member = {
      id: this.nextMemberId++,
      topics: new Set(options.topics),
      ...(options.batchHandler
        ? { deliver: options.batchHandler, batchSize: this.maxBatchSize }
        : { deliver: (messages: IncomingMessage[]) => options.handler(messages[0]), batchSize: 1 }),
      inFlight: new Set(),
    };
    group.members.push(member);
    this.scheduleAll(group, member.topics);
    const state: ConsumerState = { groupId: options.groupId, topics: [...options.topics], state: 'running' };
    this.stateOf.add(state);

    let stopped = false;
    return {
      stop: async () => {
        if (stopped) return;
        stopped = true;
        this.stateOf.delete(state);
        group.members = group.members.filter((m) => m !== member);
        this.scheduleAll(group, member.topics);
        await Promise.allSettled([...member.inFlight]);
      },
    };
  }

  consumerStates(): ConsumerState[] {
    return [...this.stateOf].map((state) => ({ ...state }));
  }

  async health(): Promise<BusHealth> {
    return this.closed ? { up: false, detail: 'closed' } : { up: true, detail: 'in-process' };
  }

  async consumerLag(): Promise<ConsumerLag[]> {
    return [...this.groups.entries()].flatMap(([groupId, group]) => {
      const topics = new Set(group.members.flatMap((member) => [...member.topics]));
      return [...topics].flatMap((topic) =>
        this.topicLog(topic).map((log, partition) => ({ groupId, topic, partition, lag: log.length - (group.offsets.get(`${topic}\u0000${partition}`) ?? 0) })),
      );
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stateOf.clear();
    const inFlight = [...this.groups.values()].flatMap((g) => g.members.flatMap((m) => [...m.inFlight]));
    for (const group of this.groups.values()) group.members = [];
    await Promise.allSettled(inFlight);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('InProcessMessageBus is closed');
  }

  private topicLog(topic: string): StoredMessage[][] {
    const log = this.topics.get(topic);
    if (!log) throw new Error(`Unknown topic "${topic}": call ensureTopics first`);
    return log;
  }

  private group(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { members: [], offsets: new Map(), draining: new Set() };
      this.groups.set(groupId, group);
    }
    return group;
  }

  private scheduleAll(group: Group, topics: Iterable<string>): void {
    for (const topic of topics) {
      for (let partition = 0; partition < this.topicLog(topic).length; partition++) this.schedule(group, topic, partition);
    }
  }

  private schedule(group: Group, topic: string, partition: number): void {
    const slot = `${topic}\u0000${partition}`;
    if (group.draining.has(slot)) return;
    group.draining.add(slot);
    // Never deliver inside the caller's stack (publish/subscribe): start on a later macrotask.
    setImmediate(() => {
      this.drain(group, topic, partition, slot).catch((error: unknown) => this.log('error', 'delivery loop failed', error));
    });
  }

  private assignee(group: Group, topic: string, partition: number): Member | undefined {
    const candidates = group.members.filter((m) => m.topics.has(topic));
    return candidates.length === 0 ? undefined : candidates[partition % candidates.length];
  }

  private async drain(group: Group, topic: string, partition: number, slot: string): Promise<void> {
    const log = this.topicLog(topic)[partition];
    try {
      while (!this.closed) {
        const offset = group.offsets.get(slot) ?? 0;
        const member = offset < log.length ? this.assignee(group, topic, partition) : undefined;
        if (!member) return;
        const end = Math.min(log.length, offset + member.batchSize);
        const messages: IncomingMessage[] = log.slice(offset, end).map((stored, i) => ({
          topic,
          partition,
          offset: String(offset + i),
          key: stored.key,
          value: JSON.parse(stored.value) as unknown,
          headers: { ...stored.headers },
        }));
        const delivery = (async () => member.deliver(messages))();
        member.inFlight.add(delivery);
        try {
          await delivery;
          group.offsets.set(slot, end);
        } catch (error) {
          this.log('error', `handler failed for ${topic}[${partition}]@${offset}..${end - 1}; redelivering in ${this.retryBackoffMs} ms`, error);
          await new Promise((resolve) => setTimeout(resolve, this.retryBackoffMs));
        } finally {
          member.inFlight.delete(delivery);
        }
      }
    } finally {
      group.draining.delete(slot);
    }
  }
}

function serialize(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('Message value is not JSON-serializable');
  return json;
}

/** FNV-1a; stable across processes so a key always lands on the same partition. */
function partitionFor(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
