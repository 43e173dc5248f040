import { boundedRetryBatch } from './bounded-retry';
import type { FailedMessageStore } from './failed-messages';
import type { IncomingMessage } from './message-bus';

/** A store that records what it was asked and parks in memory; a key can be marked held. */
class MemoryStore implements FailedMessageStore {
  readonly lookups: string[][] = [];
  readonly parked: string[] = [];
  constructor(
    private readonly held = new Set<string>(),
    private readonly named: (message: IncomingMessage) => string = (message) => message.offset,
  ) {}
  async pendingFor(_consumer: string, key: string): Promise<string | undefined> {
    return this.held.has(key) ? 'earlier-failure' : undefined;
  }
  async heldKeys(_consumer: string, keys: string[]): Promise<Set<string>> {
    this.lookups.push(keys);
    return new Set(keys.filter((key) => this.held.has(key)));
  }
  async record(_consumer: string, message: IncomingMessage): Promise<void> {
    this.parked.push(this.named(message));
  }
  async keysToReplay(): Promise<string[]> {
    return [];
  }
  async nextPending(): Promise<undefined> {
    return undefined;
  }
  async resolve(): Promise<void> {
    return undefined;
  }
  async failedAgain(): Promise<void> {
    return undefined;
  }
}

const message = (offset: number, key = `k${offset}`): IncomingMessage => ({ topic: 't', partition: 0, offset: String(offset), key, value: offset, headers: {} });
const quiet = () => undefined;

describe('boundedRetryBatch with settled messages', () => {
  it('hands the handler only the unsettled messages and asks the store only about their keys', async () => {
    const store = new MemoryStore();
    const seen: string[][] = [];
    const handler = boundedRetryBatch(async (messages) => void seen.push(messages.map((m) => m.offset)), {
      consumer: 'c',
      store,
      log: quiet,
      settled: (m) => m.offset === '1',
    });

    await handler([message(0), message(1), message(2)]);

    expect(seen).toEqual([['0', '2']]);
    expect(store.lookups).toEqual([['k0', 'k2']]);
  });

  it('acknowledges a batch of settled messages without running or asking anything', async () => {
    const store = new MemoryStore();
    const handler = jest.fn(async () => undefined);
    await boundedRetryBatch(handler, { consumer: 'c', store, log: quiet, settled: () => true })([message(0), message(1)]);
    expect(handler).not.toHaveBeenCalled();
    expect(store.lookups).toEqual([]);
  });

  it('retries a failed batch message by message, parking the poison one and skipping settled ones', async () => {
    const store = new MemoryStore();
    const seen: string[][] = [];
    const handler = boundedRetryBatch(
      async (messages) => {
        seen.push(messages.map((m) => m.offset));
        if (messages.some((m) => m.offset === '2')) throw new Error('poison');
      },
      { consumer: 'c', store, log: quiet, policy: { maxAttempts: 2, backoffMs: 1 }, settled: (m) => m.offset === '1' },
    );

    await handler([message(0), message(1), message(2)]);

    expect(seen).toEqual([['0', '2'], ['0'], ['2'], ['2']]);
    expect(store.parked).toEqual(['2']);
  });
});

/** A message of one of the topic's partitions, keyed by its partition. */
const inPartition = (topic: string, partition: number, offset: number): IncomingMessage => ({ ...message(offset, `${topic}/${partition}`), topic, partition });
const name = (m: IncomingMessage) => `${m.topic}${m.partition}@${m.offset}`;

describe('boundedRetryBatch over partitions that arrive together', () => {
  it('tries them as one batch with one held-keys lookup', async () => {
    const store = new MemoryStore(undefined, name);
    const seen: string[][] = [];
    const handler = boundedRetryBatch(async (messages) => void seen.push(messages.map(name)), { consumer: 'c', store, log: quiet });

    await Promise.all([handler([inPartition('a', 0, 1), inPartition('a', 0, 2)]), handler([inPartition('a', 1, 5)])]);

    expect(seen).toEqual([['a0@1', 'a0@2', 'a1@5']]);
    expect(store.lookups).toEqual([['a/0', 'a/1']]);
  });

  it('after a failed combined try, handles each partition on its own: the poison message is parked, the rest applied', async () => {
    const store = new MemoryStore(undefined, name);
    const seen: string[][] = [];
    const handler = boundedRetryBatch(
      async (messages) => {
        seen.push(messages.map(name));
        if (messages.some((m) => m.partition === 1 && m.offset === '2')) throw new Error('poison');
      },
      { consumer: 'c', store, log: quiet, policy: { maxAttempts: 2, backoffMs: 1 } },
    );

    await Promise.all([handler([inPartition('a', 0, 1)]), handler([inPartition('a', 1, 1), inPartition('a', 1, 2)])]);

    expect(seen).toEqual([['a0@1', 'a1@1', 'a1@2'], ['a0@1'], ['a1@1', 'a1@2'], ['a1@1'], ['a1@2'], ['a1@2']]);
    expect(store.parked).toEqual(['a1@2']);
  });

  it('does not combine when a key is held: each partition goes its own way, and the held one is parked behind its failure', async () => {
    const store = new MemoryStore(new Set(['a/1']), name);
    const seen: string[][] = [];
    const handler = boundedRetryBatch(async (messages) => void seen.push(messages.map(name)), { consumer: 'c', store, log: quiet });

    await Promise.all([handler([inPartition('a', 0, 1)]), handler([inPartition('a', 1, 1)])]);

    expect(seen).toEqual([['a0@1']]);
    expect(store.parked).toEqual(['a1@1']);
  });

  it("lets another partition's batch settle, and its next one run, while a poison message is retried", async () => {
    const store = new MemoryStore(undefined, name);
    const settled: string[] = [];
    const handler = boundedRetryBatch(
      async (messages) => {
        if (messages.some((m) => m.partition === 0)) throw new Error('poison');
      },
      { consumer: 'c', store, log: quiet, policy: { maxAttempts: 3, backoffMs: 100 } },
    );

    const poisoned = handler([inPartition('a', 0, 1)]).then(() => settled.push('a0'));
    await handler([inPartition('a', 1, 1)]).then(() => settled.push('a1'));
    await handler([inPartition('a', 1, 2)]).then(() => settled.push('a1 next'));
    await poisoned;

    expect(settled).toEqual(['a1', 'a1 next', 'a0']);
    expect(store.parked).toEqual(['a0@1']);
  });
});
