import { boundedRetryBatch } from './bounded-retry';
import type { FailedMessageStore } from './failed-messages';
import type { IncomingMessage } from './message-bus';

/** A store that records what it was asked and parks in memory. */
class MemoryStore implements FailedMessageStore {
  readonly lookups: string[][] = [];
  readonly parked: string[] = [];
  async pendingFor(): Promise<string | undefined> {
    return undefined;
  }
  async heldKeys(_consumer: string, keys: string[]): Promise<Set<string>> {
    this.lookups.push(keys);
    return new Set();
  }
  async record(_consumer: string, message: IncomingMessage): Promise<void> {
    this.parked.push(message.offset);
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
