import { Pool } from 'pg';
import type { EventMetadata } from '@platform/contracts';
import { uniqueName } from '@platform/testing';
import { type AppendRequest, EVENT_STORE_MIGRATIONS, migrateSchema, PostgresEventStore } from './index';

const metadata: EventMetadata = { commandId: 'c', correlationId: 'c', causationId: 'c', actor: {}, occurredAt: '2026-01-01T00:00:00.000Z' };
const event = (n: number) => ({ type: 'Counted', schemaVersion: 1, data: { n } });
const request = (streamId: string, expectedVersion: number, commandId: string, ...ns: number[]): AppendRequest => ({
  streamId,
  streamType: 'count',
  expectedVersion,
  events: ns.map(event),
  metadata: { ...metadata, commandId },
  command: { commandId, commandType: 'Count', status: 'succeeded', actor: {}, correlationId: commandId, completedAt: metadata.occurredAt },
});

describe('PostgresEventStore.appendBatch (real PostgreSQL)', () => {
  const schema = uniqueName('esb');
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    pool = new Pool({ connectionString: process.env.DATABASE_URL!, max: 8 });
    store = new PostgresEventStore(pool, { schema, context: 'token', eventsTopic: 'test.events' });
    await migrateSchema({ databaseUrl: process.env.DATABASE_URL!, schema, migrations: EVENT_STORE_MIGRATIONS });
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });

  const outboxCount = async () => Number((await pool.query(`SELECT count(*) FROM "${schema}".outbox`)).rows[0].count);

  it('appends many streams in one transaction, chaining several requests of one stream, with their outbox rows', async () => {
    const before = await outboxCount();
    const results = await store.appendBatch([request('a-1', 0, 'a1', 1, 2), request('a-2', 0, 'a2', 1), request('a-1', 2, 'a3', 3)]);
    expect(results.map((r) => r.status)).toEqual(['appended', 'appended', 'appended']);
    expect(results[2].status === 'appended' && results[2].events.map((e) => e.version)).toEqual([3]);
    expect((await store.readStream('a-1')).events.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]);
    expect(await outboxCount()).toBe(before + 4 + 3);
    expect(await store.findCommand('a3')).toMatchObject({ status: 'succeeded' });
  });

  it('fails only the request whose version is stale, and the later requests of its stream', async () => {
    await store.append(request('b-1', 0, 'b0', 1));
    const results = await store.appendBatch([request('b-1', 0, 'b1', 9), request('b-1', 1, 'b2', 9), request('b-2', 0, 'b3', 1), request('b-3', 5, 'b4', 1)]);
    expect(results.map((r) => r.status)).toEqual(['wrong-version', 'wrong-version', 'appended', 'wrong-version']);
    expect((await store.readStream('b-1')).version).toBe(1);
    expect((await store.readStream('b-2')).version).toBe(1);
    expect(await store.findCommand('b1')).toBeUndefined();
  });

  it('with versions from the store, reads none: a stale one loses on the event insert', async () => {
    await store.append(request('v-1', 0, 'v0', 1, 2));
    const results = await store.appendBatch([request('v-1', 1, 'v1', 9), request('v-1', 2, 'v2', 9), request('v-2', 0, 'v3', 1), request('v-1', 2, 'v4', 3)], {
      versionsFromStore: true,
    });
    expect(results.map((r) => r.status)).toEqual(['wrong-version', 'wrong-version', 'appended', 'wrong-version']);
    const current = await store.appendBatch([request('v-1', 2, 'v5', 3)], { versionsFromStore: true });
    expect(current.map((r) => r.status)).toEqual(['appended']);
    expect((await store.readStream('v-1')).events.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]);
  });

  it('is idempotent by command id: an already processed command is reported a duplicate and appends nothing', async () => {
    await store.appendBatch([request('c-1', 0, 'c1', 1)]);
    const results = await store.appendBatch([request('c-2', 0, 'c1', 1), request('c-3', 0, 'c3', 1)]);
    expect(results.map((r) => r.status)).toEqual(['duplicate', 'appended']);
    expect((await store.readStream('c-2')).version).toBe(0);
  });

  it('rejects a taken claim for its own request only', async () => {
    const claim = { scope: 'nonce', value: 'n-1', rejectionReason: 'nonce.used' };
    await store.appendBatch([{ ...request('d-1', 0, 'd1', 1), claims: [claim] }]);
    const results = await store.appendBatch([{ ...request('d-2', 0, 'd2', 1), claims: [claim] }, request('d-3', 0, 'd3', 1)]);
    expect(results).toEqual([{ status: 'claim-conflict', reason: 'nonce.used' }, expect.objectContaining({ status: 'appended' })]);
    expect((await store.readStream('d-2')).version).toBe(0);
  });

  it('gives a claim to the first of one batch, keeps it for its owner, and to exactly one of concurrent batches', async () => {
    const claim = { scope: 'nonce', value: 'h-1', rejectionReason: 'nonce.used' };
    const first = await store.appendBatch([{ ...request('h-1', 0, 'h1', 1), claims: [claim] }, { ...request('h-2', 0, 'h2', 1), claims: [claim] }]);
    expect(first.map((r) => r.status)).toEqual(['appended', 'claim-conflict']);
    const again = await store.appendBatch([{ ...request('h-1', 1, 'h1-again', 2), claims: [claim] }]);
    expect(again.map((r) => r.status)).toEqual(['appended']);
    const contested = { scope: 'nonce', value: 'h-contested', rejectionReason: 'nonce.used' };
    const racing = await Promise.all(Array.from({ length: 6 }, (_, b) => store.appendBatch([{ ...request(`h-race-${b}`, 0, `h-race-${b}`, b), claims: [contested] }])));
    expect(racing.filter(([r]) => r.status === 'appended')).toHaveLength(1);
    expect(racing.filter(([r]) => r.status === 'claim-conflict')).toHaveLength(5);
    const owners = await pool.query(`SELECT stream_id FROM "${schema}".unique_claims WHERE claim_value = 'h-contested'`);
    expect(owners.rows).toHaveLength(1);
  });

  it('records rejections (requests without events) in the same transaction', async () => {
    const rejection = { ...request('e-1', 0, 'e1'), command: { ...request('e-1', 0, 'e1').command!, status: 'rejected' as const, reason: 'nope' } };
    const results = await store.appendBatch([rejection, request('e-2', 0, 'e2', 1)]);
    expect(results.map((r) => r.status)).toEqual(['appended', 'appended']);
    expect(await store.findCommand('e1')).toMatchObject({ status: 'rejected', reason: 'nope' });
  });

  it('lets exactly one of several concurrent batches win a stream, and the rest of each batch commits', async () => {
    const batches = Array.from({ length: 6 }, (_, b) => store.appendBatch([request('f-shared', 0, `f-shared-${b}`, b), request(`f-own-${b}`, 0, `f-own-${b}`, b)]));
    const results = await Promise.all(batches);
    expect(results.filter((r) => r[0].status === 'appended')).toHaveLength(1);
    expect(results.filter((r) => r[0].status === 'wrong-version')).toHaveLength(5);
    expect(results.every((r) => r[1].status === 'appended')).toBe(true);
    expect((await store.readStream('f-shared')).version).toBe(1);
  });

  it('runs the inline hook in the transaction, and rolls everything back when it throws', async () => {
    await expect(store.appendBatch([request('g-1', 0, 'g1', 1)], { inTransaction: async () => Promise.reject(new Error('projection failed')) })).rejects.toThrow(
      'projection failed',
    );
    expect((await store.readStream('g-1')).version).toBe(0);
    expect(await store.findCommand('g1')).toBeUndefined();
  });
  describe('a batch that only starts streams (one statement)', () => {
    const starting = (streamId: string, ...ns: number[]): AppendRequest => ({ streamId, streamType: 'count', expectedVersion: 0, events: ns.map(event), metadata });
    const outboxOf = async (streamIds: string[]) =>
      (await pool.query(`SELECT message_key, payload FROM "${schema}".outbox WHERE message_key = ANY($1) ORDER BY id`, [streamIds])).rows as { message_key: string; payload: Record<string, unknown> }[];

    it('writes the events, their outbox rows with the positions the store gave them, and the alongside writes, together', async () => {
      await pool.query(`CREATE TABLE IF NOT EXISTS "${schema}".seen (stream_id text, version int)`);
      const results = await store.appendBatch([starting('s-1', 1, 2), starting('s-2', 3)], {
        alongside: async (_client, pending, params) => ({
          writes: [`INSERT INTO "${schema}".seen SELECT * FROM unnest($${params.push(pending.map((e) => e.streamId))}::text[], $${params.push(pending.map((e) => e.version))}::int[])`],
          selects: [],
        }),
      });
      const recorded = results.flatMap((result) => (result.status === 'appended' ? result.events : []));
      expect(recorded.map((e) => [e.streamId, e.version, (e.data as { n: number }).n])).toEqual([['s-1', 1, 1], ['s-1', 2, 2], ['s-2', 1, 3]]);
      expect(await store.readStream('s-1')).toEqual({ events: recorded.slice(0, 2), version: 2 });
      const outbox = await outboxOf(['s-1', 's-2']);
      expect(outbox.map((row) => row.message_key)).toEqual(['s-1', 's-1', 's-2']);
      expect(outbox.map((row) => row.payload)).toEqual(recorded.map((e) => JSON.parse(JSON.stringify(e))));
      expect((await pool.query(`SELECT stream_id, version FROM "${schema}".seen ORDER BY 1, 2`)).rows).toEqual([
        { stream_id: 's-1', version: 1 },
        { stream_id: 's-1', version: 2 },
        { stream_id: 's-2', version: 1 },
      ]);
    });

    it('falls back to rounds when a stream exists after all: that request loses, the others append, and nothing of the failed attempt stays', async () => {
      await store.append(starting('t-1', 1));
      const calls: number[] = [];
      const results = await store.appendBatch([starting('t-1', 9), starting('t-2', 1)], {
        alongside: async (_client, pending) => {
          calls.push(pending.length);
          return { writes: [], selects: [] };
        },
      });
      expect(results.map((r) => r.status)).toEqual(['wrong-version', 'appended']);
      expect(calls).toEqual([2, 1]);
      expect((await store.readStream('t-1')).events.map((e) => (e.data as { n: number }).n)).toEqual([1]);
      expect((await outboxOf(['t-1', 't-2'])).map((row) => row.message_key)).toEqual(['t-1', 't-2']);
    });
    it('records claims, commands and their results in the same statement, each result after its events', async () => {
      const claim = { scope: 'name', value: 'u-1', rejectionReason: 'name.taken' };
      const rejected: AppendRequest = { ...request('u-2', 0, 'u2'), command: { ...request('u-2', 0, 'u2').command!, status: 'rejected', reason: 'nope' } };
      const results = await store.appendBatch([{ ...request('u-1', 0, 'u1', 1, 2), claims: [claim] }, rejected]);
      expect(results.map((r) => r.status)).toEqual(['appended', 'appended']);
      const outbox = (await pool.query(`SELECT message_key, payload, headers FROM "${schema}".outbox WHERE message_key IN ('u-1', 'u-2') ORDER BY id`)).rows;
      expect(outbox.map((row) => [row.message_key, row.headers['message-kind'], row.payload.kind])).toEqual([
        ['u-1', 'event', 'event'],
        ['u-1', 'event', 'event'],
        ['u-1', 'command-result', 'command-result'],
        ['u-2', 'command-result', 'command-result'],
      ]);
      expect(outbox[3].payload).toMatchObject({ commandId: 'u2', status: 'rejected', reason: 'nope', streamId: 'u-2' });
      const commands = (await pool.query(`SELECT command_id, status, reason, result IS NULL AS no_result FROM "${schema}".processed_commands WHERE command_id IN ('u1', 'u2') ORDER BY 1`)).rows;
      expect(commands).toEqual([
        { command_id: 'u1', status: 'succeeded', reason: null, no_result: true },
        { command_id: 'u2', status: 'rejected', reason: 'nope', no_result: true },
      ]);
      const taken = await store.appendBatch([{ ...request('u-3', 0, 'u3', 1), claims: [claim] }, request('u-4', 0, 'u4', 1)]);
      expect(taken).toEqual([{ status: 'claim-conflict', reason: 'name.taken' }, expect.objectContaining({ status: 'appended' })]);
      expect(await store.appendBatch([request('u-5', 0, 'u1', 1)])).toEqual([{ status: 'duplicate' }]);
    });
  });
});
