import { boundedRetryBatch } from './bounded-retry';
import { coalescedPartitions } from './coalesced-partitions';
import type { FailedMessageStore } from './failed-messages';
import type { IncomingMessage } from './message-bus';

const message = (topic: string, partition: number, offset: number): IncomingMessage => ({
  topic,
  partition,
  offset: String(offset),
  key: `${topic}/${partition}`,
  value: offset,
  headers: {},
});
const names = (messages: IncomingMessage[]) => messages.map((m) => `${m.topic}${m.partition}@${m.offset}`);

/** Parks in memory; a key can be marked held. */
class MemoryStore implements FailedMessageStore {
  readonly lookups: string[][] = [];
  readonly parked: string[] = [];
  constructor(private readonly held = new Set<string>()) {}
  async pendingFor(_consumer: string, key: string): Promise<string | undefined> {
    return this.held.has(key) ? 'earlier-failure' : undefined;
  }
  async heldKeys(_consumer: string, keys: string[]): Promise<Set<string>> {
    this.lookups.push(keys);
    return new Set(keys.filter((key) => this.held.has(key)));
  }
  async record(_consumer: string, m: IncomingMessage): Promise<void> {
    this.parked.push(`${m.topic}${m.partition}@${m.offset}`);
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

describe('coalescedPartitions', () => {
  it('hands the batches of one topic that arrive together to one call, each partition in order', async () => {
    const calls: string[][][] = [];
    const handle = coalescedPartitions(async (batches) => {
      calls.push(batches.map(names));
      return batches.map(() => Promise.resolve());
    });

    await Promise.all([
      handle([message('a', 0, 1), message('a', 0, 2)]),
      handle([message('a', 1, 7)]),
      handle([message('b', 2, 3)]),
    ]);

    expect(calls).toEqual([[['a0@1', 'a0@2'], ['a1@7']], [['b2@3']]]);
  });

  it('gathers what arrives while a call runs into the next call, one call in flight per topic', async () => {
    const calls: string[][][] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const handle = coalescedPartitions(async (batches) => {
      calls.push(batches.map(names));
      if (calls.length === 1) await first;
      return batches.map(() => Promise.resolve());
    });

    const one = handle([message('a', 0, 1)]);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [handle([message('a', 1, 1)]), handle([message('a', 2, 1)])];
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(1);
    release();
    await Promise.all([one, ...later]);

    expect(calls).toEqual([[['a0@1']], [['a1@1'], ['a2@1']]]);
  });

  it('rejects every caller of a call that throws, and goes on with the next', async () => {
    let fail = true;
    const handle = coalescedPartitions(async (batches) => {
      if (fail) throw new Error('database down');
      return batches.map(() => Promise.resolve());
    });

    const outcomes = await Promise.allSettled([handle([message('a', 0, 1)]), handle([message('a', 1, 1)])]);
    fail = false;

    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    await expect(handle([message('a', 0, 1)])).resolves.toBeUndefined();
  });

  it("settles each caller with its own batch's outcome, and starts the next gathering without waiting for it", async () => {
    const calls: string[][][] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const handle = coalescedPartitions(async (batches) => {
      calls.push(batches.map(names));
      return batches.map((batch) => (batch[0].partition === 0 && calls.length === 1 ? slow : batch[0].partition === 2 ? Promise.reject(new Error('no')) : Promise.resolve()));
    });

    const settled: string[] = [];
    const track = (name: string, promise: Promise<void>) => promise.then(() => settled.push(`${name} ok`), () => settled.push(`${name} failed`));
    const first = [track('a0', handle([message('a', 0, 1)])), track('a1', handle([message('a', 1, 1)])), track('a2', handle([message('a', 2, 1)]))];
    await Promise.all(first.slice(1));
    await track('a1 next', handle([message('a', 1, 2)]));
    release();
    await first[0];

    expect(calls).toEqual([[['a0@1'], ['a1@1'], ['a2@1']], [['a1@2']]]);
    expect(settled).toEqual(['a1 ok', 'a2 failed', 'a1 next ok', 'a0 ok']);
  });
});

describe('boundedRetryBatch over partitions that arrive together', () => {
  const quiet = () => undefined;

  it('tries them as one batch with one held-keys lookup', async () => {
    const store = new MemoryStore();
    const seen: string[][] = [];
    const handler = boundedRetryBatch(async (messages) => void seen.push(names(messages)), { consumer: 'c', store, log: quiet });

    await Promise.all([handler([message('a', 0, 1), message('a', 0, 2)]), handler([message('a', 1, 5)])]);

    expect(seen).toEqual([['a0@1', 'a0@2', 'a1@5']]);
    expect(store.lookups).toEqual([['a/0', 'a/1']]);
  });

  it('after a failed combined try, handles each partition on its own: the poison message is parked, the rest applied', async () => {
    const store = new MemoryStore();
    const seen: string[][] = [];
    const handler = boundedRetryBatch(
      async (messages) => {
        seen.push(names(messages));
        if (messages.some((m) => m.partition === 1 && m.offset === '2')) throw new Error('poison');
      },
      { consumer: 'c', store, log: quiet, policy: { maxAttempts: 2, backoffMs: 1 } },
    );

    await Promise.all([handler([message('a', 0, 1)]), handler([message('a', 1, 1), message('a', 1, 2)])]);

    expect(seen).toEqual([['a0@1', 'a1@1', 'a1@2'], ['a0@1'], ['a1@1', 'a1@2'], ['a1@1'], ['a1@2'], ['a1@2']]);
    expect(store.parked).toEqual(['a1@2']);
  });

  it('does not combine when a key is held: each partition goes its own way, and the held one is parked behind its failure', async () => {
    const store = new MemoryStore(new Set(['a/1']));
    const seen: string[][] = [];
    const handler = boundedRetryBatch(async (messages) => void seen.push(names(messages)), { consumer: 'c', store, log: quiet });

    await Promise.all([handler([message('a', 0, 1)]), handler([message('a', 1, 1)])]);

    expect(seen).toEqual([['a0@1']]);
    expect(store.parked).toEqual(['a1@1']);
  });

  it("lets another partition's batch settle, and its next one run, while a poison message is retried", async () => {
    const store = new MemoryStore();
    const settled: string[] = [];
    const handler = boundedRetryBatch(
      async (messages) => {
        if (messages.some((m) => m.partition === 0)) throw new Error('poison');
      },
      { consumer: 'c', store, log: quiet, policy: { maxAttempts: 3, backoffMs: 100 } },
    );

    const poisoned = handler([message('a', 0, 1)]).then(() => settled.push('a0'));
    await handler([message('a', 1, 1)]).then(() => settled.push('a1'));
    await handler([message('a', 1, 2)]).then(() => settled.push('a1 next'));
    await poisoned;

    expect(settled).toEqual(['a1', 'a1 next', 'a0']);
    expect(store.parked).toEqual(['a0@1']);
  });
});
