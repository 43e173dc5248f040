import { Client, Pool } from 'pg';
import type { EventMetadata, RecordedEvent } from '@platform/contracts';
import type { MessageBus, OutgoingMessage } from '@platform/messaging';
import { uniqueName } from '@platform/testing';
import {
  CommandAlreadyProcessedError,
  EVENT_STORE_MIGRATIONS,
  migrateSchema,
  OutboxRelay,
  PostgresEventStore,
  START_OF_STORE,
  UniqueClaimConflictError,
  WrongExpectedVersionError,
  type GlobalCheckpoint,
} from './index';

const databaseUrl = process.env.DATABASE_URL!;
const metadata: EventMetadata = {
  commandId: 'c-1',
  correlationId: 'c-1',
  causationId: 'c-1',
  actor: {},
  occurredAt: '2026-01-01T00:00:00.000Z',
};
const event = (n: number) => ({ type: 'Counted', schemaVersion: 1, data: { n } });
const command = (commandId: string) => ({
  commandId,
  commandType: 'Count',
  status: 'succeeded' as const,
  actor: {},
  correlationId: commandId,
  completedAt: metadata.occurredAt,
});

/** Records what the relay publishes; can be told to fail, like a broker that is down. */
class RecordingBus implements MessageBus {
  readonly published: { topic: string; message: OutgoingMessage }[] = [];
  failing = false;
  async ensureTopics(): Promise<void> {
    // topics are implicit here
  }
  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.failing) throw new Error('broker unavailable');
    for (const message of messages) this.published.push({ topic, message });
  }
  async subscribe(): Promise<never> {
    throw new Error('not used');
  }
  async health() {
    return { up: true };
  }
  async close(): Promise<void> {
    // nothing to release
  }
}

describe('PostgresEventStore (real PostgreSQL)', () => {
  const schema = uniqueName('es');
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    pool = new Pool({ connectionString: databaseUrl, max: 12 });
    store = new PostgresEventStore(pool, { schema, context: 'profile', eventsTopic: 'test.events' });
    await migrateSchema({ databaseUrl, schema, migrations: EVENT_STORE_MIGRATIONS });
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });

  it('appends with an expected version and reads the stream back in order', async () => {
    await store.append({ streamId: 's-1', streamType: 'count', expectedVersion: 0, events: [event(1), event(2)], metadata });
    await store.append({ streamId: 's-1', streamType: 'count', expectedVersion: 2, events: [event(3)], metadata });
    const { events, version } = await store.readStream('s-1');
    expect(version).toBe(3);
    expect(events.map((e) => [e.version, e.data])).toEqual([
      [1, { n: 1 }],
      [2, { n: 2 }],
      [3, { n: 3 }],
    ]);
  });

  it('rejects a stale expected version with a typed error and leaves the stream unchanged', async () => {
    await store.append({ streamId: 's-2', streamType: 'count', expectedVersion: 0, events: [event(1)], metadata });
    await expect(
      store.append({ streamId: 's-2', streamType: 'count', expectedVersion: 0, events: [event(9)], metadata }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(
      store.append({ streamId: 's-2', streamType: 'count', expectedVersion: 5, events: [event(9)], metadata }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect((await store.readStream('s-2')).version).toBe(1);
  });

  it('lets exactly one of many concurrent appends at the same version win', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, n) =>
        store.append({ streamId: 's-race', streamType: 'count', expectedVersion: 0, events: [event(n)], metadata }),
      ),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    const lost = attempts.filter((a) => a.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost.every((a) => a.reason instanceof WrongExpectedVersionError)).toBe(true);
    expect((await store.readStream('s-race')).version).toBe(1);
  });

  it('claims unique values across streams in the append transaction', async () => {
    const claim = { scope: 'username', value: 'alice', rejectionReason: 'profile.username_taken' };
    await store.append({ streamId: 'p-1', streamType: 'p', expectedVersion: 0, events: [event(1)], metadata, claims: [claim] });
    const second = store.append({ streamId: 'p-2', streamType: 'p', expectedVersion: 0, events: [event(1)], metadata, claims: [claim] });
    await expect(second).rejects.toMatchObject({ rejectionReason: 'profile.username_taken' });
    await expect(second).rejects.toBeInstanceOf(UniqueClaimConflictError);
    expect((await store.readStream('p-2')).version).toBe(0);
  });

  it('records each command once: a redelivered command is refused in the same transaction', async () => {
    await store.append({ streamId: 'i-1', streamType: 'count', expectedVersion: 0, events: [event(1)], metadata, command: command('cmd-1') });
    await expect(
      store.append({ streamId: 'i-1', streamType: 'count', expectedVersion: 1, events: [event(2)], metadata, command: command('cmd-1') }),
    ).rejects.toBeInstanceOf(CommandAlreadyProcessedError);
    expect((await store.readStream('i-1')).version).toBe(1);
    expect(await store.findCommand('cmd-1')).toMatchObject({ status: 'succeeded' });
  });

  it('never lets a tailing reader skip an append that commits late', async () => {
    const seen: RecordedEvent[] = [];
    let checkpoint: GlobalCheckpoint = START_OF_STORE;
    const catchUp = async () => {
      for (const e of await store.readAll(checkpoint)) {
        seen.push(e);
        checkpoint = e.globalPosition;
      }
    };
    await catchUp();
    const before = seen.length;

    const slow = new Client({ connectionString: databaseUrl });
    await slow.connect();
    await slow.query('BEGIN');
    await slow.query(
      `INSERT INTO "${schema}".events (stream_id, version, stream_type, event_type, schema_version, data, metadata)
       VALUES ('late', 1, 'count', 'Counted', 1, '{"n":1}', $1)`,
      [metadata],
    );
    await store.append({ streamId: 'early', streamType: 'count', expectedVersion: 0, events: [event(2)], metadata });
    await catchUp();
    expect(seen.slice(before).map((e) => e.streamId)).not.toContain('early');

    await slow.query('COMMIT');
    await slow.end();
    // Other transactions of the cluster (parallel test files) can hold the snapshot's xmin back for a moment.
    const ours = () => seen.slice(before).map((e) => e.streamId).filter((id) => id === 'late' || id === 'early');
    for (let attempt = 0; attempt < 100 && ours().length < 2; attempt += 1) {
      await catchUp();
      if (ours().length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ours()).toEqual(['late', 'early']);
  });

  it('publishes what was committed even when the first publish attempt fails (crash between commit and publish)', async () => {
    const bus = new RecordingBus();
    const relay = new OutboxRelay(pool, bus, { schema, connectionString: databaseUrl });
    await relay.drain();
    bus.published.length = 0;

    await store.append({ streamId: 'o-1', streamType: 'count', expectedVersion: 0, events: [event(1), event(2)], metadata, command: command('cmd-o') });
    bus.failing = true;
    await expect(relay.drain()).rejects.toThrow('broker unavailable');
    expect(bus.published).toHaveLength(0);

    bus.failing = false;
    const restarted = new OutboxRelay(pool, bus, { schema, connectionString: databaseUrl });
    await restarted.drain();
    expect(bus.published.map((p) => [p.message.key, (p.message.value as { kind: string }).kind])).toEqual([
      ['o-1', 'event'],
      ['o-1', 'event'],
      ['o-1', 'command-result'],
    ]);
    expect(bus.published.every((p) => p.topic === 'test.events')).toBe(true);
    expect(await restarted.drain()).toBe(0);
  });

  it('deletes what it published (with a later read, or on stop) and never counts it as pending', async () => {
    const bus = new RecordingBus();
    const relay = new OutboxRelay(pool, bus, { schema, connectionString: databaseUrl, pollIntervalMs: 60_000 });
    await relay.drain();
    const rows = async () => Number((await pool.query(`SELECT count(*) FROM "${schema}".outbox`)).rows[0].count);
    await relay.start();
    try {
      for (let n = 1; n <= 3; n += 1) {
        await store.append({ streamId: 'deferred', streamType: 'count', expectedVersion: n - 1, events: [event(n)], metadata });
        await waitFor(() => bus.published.filter((p) => p.message.key === 'deferred').length === n);
        expect(await relay.depth()).toBe(0);
        expect(await rows()).toBeLessThanOrEqual(1);
      }
    } finally {
      await relay.stop();
    }
    expect(await rows()).toBe(0);
    expect(bus.published.filter((p) => p.message.key === 'deferred').map((p) => (p.message.value as RecordedEvent).version)).toEqual([1, 2, 3]);
  });

  it('relays new appends promptly while running, as the single leader among replicas', async () => {
    const bus = new RecordingBus();
    const first = new OutboxRelay(pool, bus, { schema, connectionString: databaseUrl, pollIntervalMs: 200 });
    const second = new OutboxRelay(pool, bus, { schema, connectionString: databaseUrl, pollIntervalMs: 200 });
    await first.start();
    await second.start();
    for (let n = 1; n <= 20; n += 1) {
      await store.append({ streamId: 'ordered', streamType: 'count', expectedVersion: n - 1, events: [event(n)], metadata });
    }
    await waitFor(() => bus.published.filter((p) => p.message.key === 'ordered').length === 20);
    const order = bus.published
      .filter((p) => p.message.key === 'ordered')
      .map((p) => (p.message.value as RecordedEvent).version);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await first.stop();
    await second.stop();
  });
});

describe('OutboxRelay after a lost database connection', () => {
  const schema = uniqueName('relay');
  let pool: Pool;

  beforeAll(async () => {
    pool = new Pool({ connectionString: databaseUrl, max: 4 });
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });

  it('reconnects, leads again and keeps publishing', async () => {
    const store = new PostgresEventStore(pool, { schema, context: 'token', eventsTopic: 'relay.events' });
    await migrateSchema({ databaseUrl, schema, migrations: EVENT_STORE_MIGRATIONS });
    const bus = new RecordingBus();
    const errors: unknown[] = [];
    const relay = new OutboxRelay(pool, bus, { schema, connectionString: databaseUrl, pollIntervalMs: 100, onError: (error) => errors.push(error) });
    await relay.start();
    await store.append({ streamId: 'r-1', streamType: 'count', expectedVersion: 0, events: [event(1)], metadata });
    await waitFor(() => bus.published.length === 1);

    const { rowCount } = await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [`outbox-relay:${schema}`]);
    expect(rowCount).toBe(1);
    await waitFor(() => errors.length > 0);
    await store.append({ streamId: 'r-1', streamType: 'count', expectedVersion: 1, events: [event(2)], metadata });
    await waitFor(() => bus.published.length === 2);
    expect(bus.published.map((p) => (p.message.value as RecordedEvent).version)).toEqual([1, 2]);
    await relay.stop();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
