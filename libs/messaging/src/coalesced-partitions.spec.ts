import { coalescedPartitions } from './coalesced-partitions';
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
