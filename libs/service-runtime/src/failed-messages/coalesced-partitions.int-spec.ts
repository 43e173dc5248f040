import 'reflect-metadata';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Pool } from 'pg';
import { FAILED_MESSAGES_MIGRATIONS, migrateSchema } from '@platform/event-store';
import { InProcessMessageBus, KafkaMessageBus, type MessageBus, MessageBusBatchContext, MessageBusServer, RethrowRpcErrors } from '@platform/messaging';
import { uniqueName } from '@platform/testing';
import { PostgresFailedMessageStore } from './postgres-failed-message-store';

interface Payload {
  id: string;
}

interface Call {
  partitions: number[];
  /** Offsets by partition, in the order the handler saw them. */
  offsets: Map<number, number[]>;
}

const quiet = () => undefined;
const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
const PARTITIONS = 3;

const buses: Array<[string, () => MessageBus]> = [
  ['in-process bus', () => new InProcessMessageBus({ partitions: PARTITIONS, log: quiet })],
  ['Kafka bus', () => new KafkaMessageBus({ brokers, clientId: uniqueName('coalesced'), partitions: PARTITIONS, log: quiet })],
];

describe.each(buses)('batches of several partitions on the %s', (_name, makeBus) => {
  const topic = uniqueName('coalesced');
  const schema = uniqueName('coalesced');
  const calls: Call[] = [];
  const applied: string[] = [];
  let poison: string | undefined;
  let pool: Pool;
  let bus: MessageBus;
  let store: PostgresFailedMessageStore;
  let app: INestMicroservice | undefined;

  @Controller()
  class BatchController {
    @EventPattern(topic, { group: 'coalesced-consumer', batch: true })
    async handle(@Payload() payloads: Payload[], @Ctx() context: MessageBusBatchContext): Promise<void> {
      const messages = context.getMessages();
      const offsets = new Map<number, number[]>();
      for (const m of messages) offsets.set(m.partition, [...(offsets.get(m.partition) ?? []), Number(m.offset)]);
      calls.push({ partitions: [...offsets.keys()], offsets });
      // The first call is slow, so the other partitions' batches arrive while it runs.
      if (calls.length === 1) await new Promise((resolve) => setTimeout(resolve, 300));
      if (payloads.some((p) => p.id === poison)) throw new Error('poison');
      for (const payload of payloads) if (!applied.includes(payload.id)) applied.push(payload.id);
    }
  }

  @Module({ controllers: [BatchController] })
  class BatchModule {}

  const start = async () => {
    const strategy = new MessageBusServer({ bus, prefix: '', failures: store, retry: { maxAttempts: 2, backoffMs: 10 }, replayPollMs: 60_000, log: quiet });
    app = await NestFactory.createMicroservice(BatchModule, { strategy, logger: false });
    app.useGlobalFilters(new RethrowRpcErrors());
    await app.listen();
  };

  beforeAll(async () => {
    pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
    store = new PostgresFailedMessageStore(pool, schema);
    await migrateSchema({ databaseUrl: process.env.DATABASE_URL!, schema, migrations: FAILED_MESSAGES_MIGRATIONS });
    bus = makeBus();
    await bus.ensureTopics([topic]);
  });

  afterAll(async () => {
    await app?.close();
    await bus.close();
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });

  it('hands partitions that arrive together to one call, each partition in offset order, every message once', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `m${i}`);
    // Published before the consumer joins, so every partition has messages from the first fetch on.
    await bus.publish(topic, ids.map((id) => ({ key: `stream-${id}`, value: { id } })));
    await start();
    await waitFor(async () => applied.length === ids.length, 'every message');

    expect([...applied].sort()).toEqual([...ids].sort());
    expect(new Set(calls.flatMap((call) => call.partitions)).size).toBe(PARTITIONS);
    expect(Math.max(...calls.map((call) => call.partitions.length))).toBeGreaterThan(1);
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const seen = calls.flatMap((call) => call.offsets.get(partition) ?? []);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(new Set(seen).size).toBe(seen.length);
    }
  }, 60_000);

  it('parks a poison message of a combined batch and applies the other partitions', async () => {
    calls.length = 0;
    applied.length = 0;
    poison = 'p-poison';
    const ids = ['p-poison', ...Array.from({ length: 20 }, (_, i) => `p${i}`)];
    await app!.close();
    await bus.publish(topic, ids.map((id) => ({ key: `stream-${id}`, value: { id } })));
    await start();
    await waitFor(async () => applied.length === ids.length - 1 && (await store.pendingCount()) === 1, 'the others applied and the poison parked');

    // The poison message was first tried with other partitions' messages, then alone.
    expect(Math.max(...calls.map((call) => call.partitions.length))).toBeGreaterThan(1);
    expect([...applied].sort()).toEqual(ids.filter((id) => id !== poison).sort());
    expect(await store.list()).toEqual([expect.objectContaining({ consumer: 'coalesced-consumer', topic, payload: { id: 'p-poison' }, attempts: 2 })]);
  }, 60_000);
});

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
