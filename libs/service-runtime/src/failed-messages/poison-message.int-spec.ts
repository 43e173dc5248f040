import 'reflect-metadata';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Pool } from 'pg';
import { InProcessMessageBus, KafkaMessageBus, type MessageBus, MessageBusContext, MessageBusServer, RethrowRpcErrors } from '@platform/messaging';
import { uniqueName } from '@platform/testing';
import { PostgresFailedMessageStore } from './postgres-failed-message-store';

interface Payload {
  id: string;
}

const quiet = () => undefined;
const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);

const buses: Array<[string, () => MessageBus]> = [
  ['in-process bus', () => new InProcessMessageBus({ partitions: 1, log: quiet })],
  ['Kafka bus', () => new KafkaMessageBus({ brokers, clientId: uniqueName('poison'), partitions: 1, log: quiet })],
];

describe.each(buses)('a poison message on the %s', (_name, makeBus) => {
  // One partition, so every message below shares it: the poison one must not block the others.
  const topic = uniqueName('poison');
  const schema = uniqueName('poison');
  const applied: string[] = [];
  let faulty = true;
  let pool: Pool;
  let bus: MessageBus;
  let store: PostgresFailedMessageStore;
  let app: INestMicroservice;

  @Controller()
  class FlakyController {
    @EventPattern(topic, { group: 'poison-consumer' })
    handle(@Payload() payload: Payload, @Ctx() context: MessageBusContext): void {
      if (faulty && payload.id === 'poison') throw new Error(`cannot handle ${context.getMessage().key}`);
      // Idempotent by message id, like every real handler.
      if (!applied.includes(payload.id)) applied.push(payload.id);
    }
  }

  @Module({ controllers: [FlakyController] })
  class FlakyModule {}

  beforeAll(async () => {
    pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
    store = new PostgresFailedMessageStore(pool, schema);
    await store.ensureSchema();
    bus = makeBus();
    const strategy = new MessageBusServer({ bus, prefix: '', failures: store, retry: { backoffMs: 10 }, replayPollMs: 50, log: quiet });
    app = await NestFactory.createMicroservice(FlakyModule, { strategy, logger: false });
    app.useGlobalFilters(new RethrowRpcErrors());
    await app.listen();
  });

  afterAll(async () => {
    await app.close();
    await bus.close();
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });

  it('is parked after bounded retries, the partition moves on, and a replay applies it once', async () => {
    await bus.publish(topic, [
      { key: 'stream-a', value: { id: 'poison' } },
      { key: 'stream-b', value: { id: 'next' } },
      { key: 'stream-a', value: { id: 'after-poison' } },
      { key: 'stream-c', value: { id: 'last' } },
    ]);
    await waitFor(async () => applied.includes('last'), 'the last message');
    expect(applied).toEqual(['next', 'last']);

    const parked = await store.list();
    expect(parked).toEqual([
      expect.objectContaining({
        consumer: 'poison-consumer',
        topic,
        partition: 0,
        message_key: 'stream-a',
        payload: { id: 'poison' },
        attempts: 5,
        error: 'Error: cannot handle stream-a',
        held_behind: null,
      }),
      // Same key as the poison message: parked behind it without running, so the key keeps its order.
      expect.objectContaining({ message_key: 'stream-a', payload: { id: 'after-poison' }, attempts: 0, held_behind: parked[0].id }),
    ]);
    expect(await store.pendingCount()).toBe(2);

    faulty = false;
    expect(await store.requestReplay(parked[0].id)).toBe(1);
    await waitFor(async () => (await store.pendingCount()) === 0, 'the replay');
    expect(applied).toEqual(['next', 'last', 'poison', 'after-poison']);

    // Nothing pending is left to replay; asking again changes nothing.
    expect(await store.requestReplay()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(applied).toEqual(['next', 'last', 'poison', 'after-poison']);
    expect((await store.list({ all: true })).every((row) => row.resolved_at !== null)).toBe(true);
  });

  it('keeps a message parked when its replay fails again, with the new attempt count', async () => {
    faulty = true;
    await bus.publish(topic, [{ key: 'stream-d', value: { id: 'poison' } }]);
    await waitFor(async () => (await store.pendingCount()) === 1, 'the parked message');
    const [row] = await store.list();
    await store.requestReplay(row.id);
    await waitFor(async () => (await store.list())[0]?.attempts === 6, 'the failed replay');
    expect((await store.list())[0]).toMatchObject({ id: row.id, replay_requested_at: null, resolved_at: null });
  });
});

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
