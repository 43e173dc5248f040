import { uniqueName } from '@platform/testing';
import type { BatchHandler, IncomingMessage, MessageBus, MessageHandler, OutgoingMessage, Subscription } from './message-bus';

interface Payload {
  id: string;
  seq: number;
}

/** The semantics of `message-bus.ts`, run against every adapter. */
export function describeMessageBusContract(name: string, makeBus: () => Promise<MessageBus>): void {
  describe(`MessageBus contract: ${name}`, () => {
    let bus: MessageBus;
    let subscriptions: Subscription[] = [];

    beforeEach(async () => {
      bus = await makeBus();
    });

    afterEach(async () => {
      await Promise.allSettled(subscriptions.map((s) => s.stop()));
      subscriptions = [];
      await bus.close();
    });

    async function newTopic(): Promise<string> {
      const topic = uniqueName('contract');
      await bus.ensureTopics([topic]);
      return topic;
    }

    async function subscribe(topic: string, groupId: string, handler: MessageHandler): Promise<Subscription> {
      const subscription = await bus.subscribe({ groupId, topics: [topic], handler });
      subscriptions.push(subscription);
      return subscription;
    }

    async function subscribeBatches(topic: string, groupId: string, batchHandler: BatchHandler): Promise<Subscription> {
      const subscription = await bus.subscribe({ groupId, topics: [topic], batchHandler });
      subscriptions.push(subscription);
      return subscription;
    }

    async function collect(topic: string, groupId: string, sink: IncomingMessage[] = []): Promise<IncomingMessage[]> {
      await subscribe(topic, groupId, async (message) => {
        sink.push(message);
      });
      return sink;
    }

    function messages(count: number, keys: number, prefix = 'm'): OutgoingMessage[] {
      return Array.from({ length: count }, (_, i) => ({
        key: `key-${i % keys}`,
        value: { id: `${prefix}-${i}`, seq: Math.floor(i / keys) } satisfies Payload,
      }));
    }

    const ids = (received: IncomingMessage[]) => received.map((m) => (m.value as Payload).id);

    it('reports healthy', async () => {
      await expect(bus.health()).resolves.toMatchObject({ up: true });
    });

    it('delivers a published message with key, value, headers and position', async () => {
      const topic = await newTopic();
      const received = await collect(topic, uniqueName('group'));
      const value = { id: 'one', nested: { list: [1, 'two', null], flag: true } };

      await bus.publish(topic, [{ key: 'k-1', value, headers: { 'x-trace': 'abc' } }]);
      value.nested.list.push('mutated after publish');

      await waitFor(() => received.length === 1, 'the message');
      expect(received[0]).toEqual({
        topic,
        partition: expect.any(Number),
        offset: expect.any(String),
        key: 'k-1',
        value: { id: 'one', nested: { list: [1, 'two', null], flag: true } },
        headers: { 'x-trace': 'abc' },
      });
    });

    it('preserves keys and headers, and gives header-less messages empty headers', async () => {
      const topic = await newTopic();
      const received = await collect(topic, uniqueName('group'));
      await bus.publish(topic, [
        { key: 'ключ/🔑', value: 1, headers: { 'content-type': 'application/json', 'x-ünï': 'välue ✓', empty: '' } },
        { key: 'plain', value: 'two' },
        { key: '', value: null, headers: {} },
      ]);

      await waitFor(() => received.length === 3, 'three messages');
      const byKey = new Map(received.map((m) => [m.key, m]));
      expect(byKey.get('ключ/🔑')).toMatchObject({ value: 1, headers: { 'content-type': 'application/json', 'x-ünï': 'välue ✓', empty: '' } });
      expect(byKey.get('plain')).toMatchObject({ value: 'two', headers: {} });
      expect(byKey.get('')).toMatchObject({ value: null, headers: {} });
    });

    it('keeps per-key order across many messages and keys', async () => {
      const topic = await newTopic();
      const received = await collect(topic, uniqueName('group'));
      const keys = 6;
      const all = messages(300, keys);
      for (let i = 0; i < all.length; i += 30) await bus.publish(topic, all.slice(i, i + 30));

      await waitFor(() => received.length >= all.length, `${all.length} messages`);
      for (let k = 0; k < keys; k++) {
        const seqs = received.filter((m) => m.key === `key-${k}`).map((m) => (m.value as Payload).seq);
        expect(seqs).toEqual(Array.from({ length: all.length / keys }, (_, i) => i));
      }
    });

    it('delivers every message to every group', async () => {
      const topic = await newTopic();
      const first = await collect(topic, uniqueName('group'));
      const second = await collect(topic, uniqueName('group'));
      const sent = messages(40, 8);
      await bus.publish(topic, sent);

      await waitFor(() => first.length >= 40 && second.length >= 40, 'both groups');
      const expected = sent.map((m) => (m.value as Payload).id).sort();
      expect(ids(first).sort()).toEqual(expected);
      expect(ids(second).sort()).toEqual(expected);
    });

    it('splits a group between its members, each message delivered once', async () => {
      const topic = await newTopic();
      const groupId = uniqueName('group');
      const a = await collect(topic, groupId);
      const b = await collect(topic, groupId);
      const sent = messages(90, 30);
      await bus.publish(topic, sent);

      await waitFor(() => a.length + b.length >= sent.length, 'all messages across members');
      await settle(() => a.length + b.length);
      expect([...ids(a), ...ids(b)].sort()).toEqual(sent.map((m) => (m.value as Payload).id).sort());
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
    });

    it('redelivers a message whose handler throws, before the next message of its key', async () => {
      const topic = await newTopic();
      const attempts = new Map<string, number>();
      const handled: string[] = [];
      await subscribe(topic, uniqueName('group'), async (message) => {
        const { id } = message.value as Payload;
        const attempt = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, attempt);
        if (id === 'first' && attempt === 1) throw new Error('simulated handler failure (expected in this test)');
        handled.push(id);
      });

      await bus.publish(topic, [
        { key: 'same', value: { id: 'first', seq: 0 } },
        { key: 'same', value: { id: 'second', seq: 1 } },
      ]);

      await waitFor(() => handled.length >= 2, 'both messages handled');
      expect(handled).toEqual(['first', 'second']);
      expect(attempts.get('first')).toBe(2);
    });

    it('delivers batches of consecutive messages of one partition, keeping per-key order', async () => {
      const topic = await newTopic();
      const batches: IncomingMessage[][] = [];
      await subscribeBatches(topic, uniqueName('group'), async (batch) => {
        batches.push(batch);
      });
      const keys = 6;
      const all = messages(300, keys);
      for (let i = 0; i < all.length; i += 60) await bus.publish(topic, all.slice(i, i + 60));

      const received = () => batches.flat();
      await waitFor(() => received().length >= all.length, `${all.length} messages`);
      await settle(() => received().length);
      expect(ids(received()).sort()).toEqual(all.map((m) => (m.value as Payload).id).sort());
      for (const batch of batches) {
        expect(batch.length).toBeGreaterThan(0);
        expect(new Set(batch.map((m) => `${m.topic}/${m.partition}`)).size).toBe(1);
        const offsets = batch.map((m) => BigInt(m.offset));
        offsets.slice(1).forEach((offset, i) => expect(offset).toBe(offsets[i] + 1n));
      }
      expect(batches.some((batch) => batch.length > 1)).toBe(true);
      for (let k = 0; k < keys; k++) {
        const seqs = received().filter((m) => m.key === `key-${k}`).map((m) => (m.value as Payload).seq);
        expect(seqs).toEqual(Array.from({ length: all.length / keys }, (_, i) => i));
      }
    });

    it('redelivers a whole batch whose handler throws, from its first message, before later messages', async () => {
      const topic = await newTopic();
      const handled: string[] = [];
      let failures = 0;
      await subscribeBatches(topic, uniqueName('group'), async (batch) => {
        if (failures === 0 && ids(batch).includes('m-3')) {
          failures += 1;
          throw new Error('simulated batch failure (expected in this test)');
        }
        handled.push(...ids(batch));
      });
      const sent = messages(10, 1);
      await bus.publish(topic, sent);

      await waitFor(() => handled.length >= 10, 'every message handled');
      await settle(() => handled.length);
      expect(failures).toBe(1);
      expect(handled).toEqual(sent.map((m) => (m.value as Payload).id));
    });

    it('starts a new group from the beginning of the topic', async () => {
      const topic = await newTopic();
      const sent = messages(20, 1);
      await bus.publish(topic, sent);

      const received = await collect(topic, uniqueName('late'));
      await waitFor(() => received.length >= 20, 'the earlier messages');
      expect(ids(received)).toEqual(sent.map((m) => (m.value as Payload).id));
    });

    it('resumes a group after the last message it handled', async () => {
      const topic = await newTopic();
      const groupId = uniqueName('group');
      await bus.publish(topic, messages(10, 2, 'before'));
      const before = await collect(topic, groupId);
      await waitFor(() => before.length >= 10, 'the first messages');
      await subscriptions.pop()?.stop();

      await bus.publish(topic, messages(10, 2, 'after'));
      const after = await collect(topic, groupId);
      await waitFor(() => after.length >= 10, 'the later messages');
      await settle(() => after.length);
      expect(ids(after).sort()).toEqual(messages(10, 2, 'after').map((m) => (m.value as Payload).id).sort());
    });
  });
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until a counter stops moving, so late duplicates would be seen. */
async function settle(read: () => number, quietMs = 1_000): Promise<void> {
  let last = read();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = read();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
}
