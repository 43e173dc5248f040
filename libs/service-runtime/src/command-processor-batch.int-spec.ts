import { Pool } from 'pg';
import type { CommandEnvelope } from '@platform/contracts';
import { EVENT_STORE_MIGRATIONS, migrateSchema, PostgresEventStore } from '@platform/event-store';
import { uniqueName } from '@platform/testing';
import { CommandProcessor, StreamStates } from './command-processor';
import { type AggregateDefinition, CommandRejected } from './decider';

type Command = { type: 'Add'; amount: number; tag?: string };
type Event = { type: 'Added'; amount: number; tag?: string };

/** A counter that refuses to go above 10; a tag is unique across counters. */
const counter: AggregateDefinition<Command, Event, number> = {
  streamType: 'counter',
  commandTypes: ['Add'],
  schemaVersionOf: () => 1,
  decider: {
    initialState: () => 0,
    evolve: (total, event) => total + event.amount,
    decide: (command, total) => {
      if (total + command.amount > 10) throw new CommandRejected('counter.too_big');
      return [{ type: 'Added', amount: command.amount, ...(command.tag ? { tag: command.tag } : {}) }];
    },
  },
  claimsFor: (event) => (event.tag ? [{ scope: 'tag', value: event.tag, rejectionReason: 'counter.tag_taken' }] : []),
  resultFor: (_command, events) => ({ added: events.length }),
};

let sequence = 0;
const envelope = (streamId: string, amount: number, tag?: string, commandId = `cmd-${(sequence += 1)}`): CommandEnvelope<Command> => ({
  kind: 'command',
  context: 'token',
  streamId,
  command: { type: 'Add', amount, ...(tag ? { tag } : {}) },
  metadata: { commandId, correlationId: commandId, causationId: commandId, actor: {}, issuedAt: new Date().toISOString() },
});

describe('CommandProcessor.processBatch (real PostgreSQL)', () => {
  const schema = uniqueName('cpb');
  let pool: Pool;
  let store: PostgresEventStore;
  let processor: CommandProcessor<Command, Event, number>;

  beforeAll(async () => {
    pool = new Pool({ connectionString: process.env.DATABASE_URL!, max: 8 });
    store = new PostgresEventStore(pool, { schema, context: 'token', eventsTopic: 'test.events' });
    await migrateSchema({ databaseUrl: process.env.DATABASE_URL!, schema, migrations: EVENT_STORE_MIGRATIONS });
    processor = new CommandProcessor(store, counter);
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });

  it('decides several commands of one stream in order, in one batch, each against the state the previous one left', async () => {
    const outcomes = await processor.processBatch([envelope('a', 4), envelope('b', 1), envelope('a', 4), envelope('a', 4)]);
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'rejected']);
    expect(outcomes[3].reason).toBe('counter.too_big');
    expect(outcomes[0]).toMatchObject({ result: { added: 1 }, events: [{ type: 'Added', amount: 4 }] });
    expect((await store.readStream('a')).version).toBe(2);
  });

  it('with kept stream states, reads only what was appended since, also by another writer', async () => {
    const states = new StreamStates<number>();
    const keeping = new CommandProcessor(store, counter, 5, states);
    await keeping.processBatch([envelope('k', 2), envelope('k', 3)]);
    expect(states.get('k')).toEqual({ state: 5, version: 2 });
    // Another writer appends; this one's kept state is behind, not wrong.
    await processor.processBatch([envelope('k', 4)]);
    const read = jest.spyOn(store, 'readStreams');
    expect((await keeping.processBatch([envelope('k', 2)])).map((o) => [o.status, o.reason])).toEqual([['rejected', 'counter.too_big']]);
    expect(read).toHaveBeenCalledWith(['k'], new Map([['k', 2]]));
    read.mockRestore();
    expect(states.get('k')).toEqual({ state: 9, version: 3 });
    // Now current: trusted without a read.
    const unread = jest.spyOn(store, 'readStreams');
    expect((await keeping.processBatch([envelope('k', 1)])).map((o) => o.status)).toEqual(['succeeded']);
    expect(unread).toHaveBeenCalledTimes(1);
    expect(unread).toHaveBeenCalledWith([], undefined);
    unread.mockRestore();
    expect(states.get('k')).toEqual({ state: 10, version: 4 });
    expect((await store.readStream('k')).version).toBe(4);
    // A rejection decided on a kept state is confirmed by a read first, with the stream's other commands.
    const confirm = jest.spyOn(store, 'readStreams');
    expect((await keeping.processBatch([envelope('k', 0), envelope('k', 1), envelope('k2', 1)])).map((o) => [o.status, o.reason])).toEqual([
      ['succeeded', undefined],
      ['rejected', 'counter.too_big'],
      ['succeeded', undefined],
    ]);
    expect(confirm).toHaveBeenLastCalledWith(['k', 'k'], new Map([['k', 4]]));
    confirm.mockRestore();
    expect((await store.readStream('k')).version).toBe(5);
  });

  it('rejects a taken claim for that command alone', async () => {
    await processor.processBatch([envelope('c-1', 1, 'red')]);
    const outcomes = await processor.processBatch([envelope('c-2', 1, 'red'), envelope('c-3', 1, 'blue')]);
    expect(outcomes.map((o) => [o.status, o.reason])).toEqual([
      ['rejected', 'counter.tag_taken'],
      ['succeeded', undefined],
    ]);
    expect((await store.readStream('c-2')).version).toBe(0);
  });

  it('keeps no processed-command row nor result message for unrecorded (synchronous) commands, and still appends their events', async () => {
    const outcomes = await processor.processBatch([envelope('u', 3, undefined, 'u-1'), envelope('u', 9, undefined, 'u-2')], { recordCommands: false });
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'rejected']);
    expect((await store.readStream('u')).version).toBe(1);
    const recorded = await pool.query(`SELECT command_id FROM "${schema}".processed_commands WHERE command_id IN ('u-1', 'u-2')`);
    expect(recorded.rows).toEqual([]);
    const results = await pool.query(`SELECT payload->>'kind' AS kind FROM "${schema}".outbox WHERE message_key = 'u'`);
    expect(results.rows.map((row) => row.kind)).toEqual(['event']);
  });

  it('starts a stream without reading it when the aggregate says the command only starts streams; a taken stream is read on retry', async () => {
    const starting = new CommandProcessor(store, { ...counter, startsStream: () => true });
    expect((await starting.processBatch([envelope('s', 2)])).map((o) => o.status)).toEqual(['succeeded']);
    // The stream exists now: the first attempt loses the insert, the retry reads it and decides on its state.
    expect((await starting.processBatch([envelope('s', 9)])).map((o) => [o.status, o.reason])).toEqual([['rejected', 'counter.too_big']]);
    expect((await starting.processBatch([envelope('s', 3)])).map((o) => o.status)).toEqual(['succeeded']);
    expect((await store.readStream('s')).version).toBe(2);
  });

  it('processes a command id once: a redelivered command is a duplicate, inside a batch and across batches', async () => {
    const once = envelope('d', 1, undefined, 'd-once');
    expect((await processor.processBatch([once, envelope('d', 1, undefined, 'd-once')])).map((o) => o.status)).toEqual(['succeeded', 'duplicate']);
    expect((await processor.processBatch([once])).map((o) => o.status)).toEqual(['duplicate']);
    expect(await processor.process(once)).toBe('duplicate');
    expect((await store.readStream('d')).version).toBe(1);
  });

  it('redoes only the losers of a version race between concurrent batches and single appends', async () => {
    // Five writers of one stream: each loses at most four races, within the five attempts.
    const batches = Array.from({ length: 3 }, (_, b) => processor.processBatch([envelope('shared', 1), envelope(`own-${b}`, 1)]));
    const singles = Array.from({ length: 2 }, () => processor.process(envelope('shared', 1)));
    const [outcomes, single] = await Promise.all([Promise.all(batches), Promise.all(singles)]);
    expect(outcomes.flat().every((o) => o.status === 'succeeded')).toBe(true);
    expect(single.every((o) => o === 'succeeded')).toBe(true);
    expect((await store.readStream('shared')).events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
  });
});
