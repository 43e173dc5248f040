import { Pool } from 'pg';
import { loadConfig } from '@platform/config';
import { type CommandEnvelope, commandsTopic } from '@platform/contracts';
import { InProcessMessageBus, KafkaMessageBus, type MessageBus } from '@platform/messaging';
import { uniqueName } from '@platform/testing';
import { type AggregateDefinition, CommandRejected } from '../decider';
import { PostgresFailedMessageStore } from '../failed-messages';
import { bootstrapService, type RunningService } from './bootstrap-service';

type Command = { type: 'Add'; amount: number };
type Event = { type: 'Added'; amount: number };

/** A counter capped at 10; an amount of 666 makes `decide` throw something that is not a rejection (a poison command). */
const counter: AggregateDefinition<Command, Event, number> = {
  streamType: 'counter',
  commandTypes: ['Add'],
  schemaVersionOf: () => 1,
  decider: {
    initialState: () => 0,
    evolve: (total, event) => total + event.amount,
    decide: (command, total) => {
      if (command.amount === 666) throw new Error('poison command (expected in this test)');
      if (total + command.amount > 10) throw new CommandRejected('counter.too_big');
      return [{ type: 'Added', amount: command.amount }];
    },
  },
};

const envelope = (streamId: string, amount: number, commandId: string): CommandEnvelope<Command> => ({
  kind: 'command',
  context: 'oauth-app',
  streamId,
  command: { type: 'Add', amount },
  metadata: { commandId, correlationId: commandId, causationId: commandId, actor: {}, issuedAt: new Date().toISOString() },
});

const quiet = () => undefined;
const brokers = process.env.KAFKA_BROKERS ?? '';

const cases: Array<[string, () => MessageBus | undefined, () => MessageBus]> = [
  ['in-process bus', () => new InProcessMessageBus({ partitions: 1, log: quiet }), () => { throw new Error('unused'); }],
  ['Kafka bus', () => undefined, () => new KafkaMessageBus({ brokers: brokers.split(','), clientId: uniqueName('producer'), partitions: 1, log: quiet })],
];

describe.each(cases)('a service consuming its commands by batch on the %s', (_name, sharedBus, producerBus) => {
  const schema = uniqueName('batched');
  const prefix = `${uniqueName('bt')}.`;
  const topic = commandsTopic('oauth-app', prefix);
  let pool: Pool;
  let shared: MessageBus | undefined;
  let producer: MessageBus;
  let service: RunningService;

  beforeAll(async () => {
    pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
    shared = sharedBus();
    producer = shared ?? producerBus();
    const config = loadConfig({ DATABASE_URL: process.env.DATABASE_URL, KAFKA_BROKERS: shared ? undefined : brokers, KAFKA_TOPIC_PREFIX: prefix, KAFKA_PARTITIONS: '1', LOG_LEVEL: 'error' });
    service = await bootstrapService(
      { config, clientId: uniqueName('service'), bus: shared, handleSignals: false, poolSize: 4, consumerTiming: { retryBackoffMs: 5, replayPollMs: 50 } },
      { context: 'oauth-app', schema, aggregates: [counter] },
    );
    await producer.ensureTopics([topic]);
  });

  afterAll(async () => {
    await service.close();
    await producer.close();
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });

  const processed = async () =>
    new Map((await pool.query<{ command_id: string; status: string; reason: string | null }>(`SELECT command_id, status, reason FROM "${schema}".processed_commands`)).rows.map((r) => [r.command_id, r.reason ?? r.status]));
  const totals = async () =>
    (await pool.query<{ stream_id: string; total: string }>(`SELECT stream_id, sum((data->>'amount')::int)::text AS total FROM "${schema}".events GROUP BY stream_id ORDER BY stream_id`)).rows;

  const batch = [envelope('a', 4, 'a1'), envelope('p', 666, 'p1'), envelope('b', 3, 'b1'), envelope('a', 5, 'a2'), envelope('p', 1, 'p2'), envelope('a', 2, 'a3')];
  const publish = (envelopes: CommandEnvelope<Command>[]) => producer.publish(topic, envelopes.map((e) => ({ key: e.streamId, value: e })));

  it('processes a batch, parks the poison command and what follows it on its stream, and the others go through', async () => {
    await publish(batch);
    await waitFor(async () => (await processed()).size === 4 && (await new PostgresFailedMessageStore(pool, schema).pendingCount()) === 2, 'the batch');
    expect(await processed()).toEqual(new Map([['a1', 'succeeded'], ['a2', 'succeeded'], ['a3', 'counter.too_big'], ['b1', 'succeeded']]));
    expect(await totals()).toEqual([{ stream_id: 'a', total: '9' }, { stream_id: 'b', total: '3' }]);
    const parked = await new PostgresFailedMessageStore(pool, schema).list();
    expect(parked.map((row) => [(row.payload as CommandEnvelope).metadata.commandId, row.attempts > 0, row.held_behind === null])).toEqual([
      ['p1', true, true],
      ['p2', false, false],
    ]);
  });

  it('changes nothing when the whole batch is delivered again', async () => {
    const before = await processed();
    const events = await totals();
    await publish([...batch.filter((e) => e.streamId !== 'p'), envelope('c', 1, 'marker')]);
    await waitFor(async () => (await processed()).has('marker'), 'the redelivered batch');
    expect(await processed()).toEqual(new Map([...before, ['marker', 'succeeded']]));
    expect(await totals()).toEqual([...events, { stream_id: 'c', total: '1' }]);
  });
});

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
