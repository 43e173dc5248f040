import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { loadConfig, schemaName } from '@platform/config';
import { PostgresFailedMessageStore, type FailedMessageRow } from '@platform/service-runtime';

const SCHEMAS = ['profile', 'token', 'oauth_app', 'gateway'].map((base) => schemaName(base));
const WAIT_MS = 30_000;

const usage = `usage: npm run list-failed [-- --all]
       npm run replay-failed [-- --id N [--schema S]]

list-failed    shows the pending failed messages of every schema (with --all, replayed ones too)
replay-failed  asks the running consumers to replay every pending failed message, or the one with
               id N (and the others parked on its key, oldest first), and waits for the outcome`;

const show = (schema: string, row: FailedMessageRow): string =>
  [
    `${schema}#${row.id}`,
    row.resolved_at ? `replayed ${row.resolved_at.toISOString()}` : 'pending',
    `consumer=${row.consumer}`,
    `${row.topic}[${row.partition}]@${row.message_offset}`,
    `key=${row.message_key}`,
    `attempts=${row.attempts}`,
    `failed=${row.failed_at.toISOString()}`,
    row.held_behind ? `held behind #${row.held_behind}` : `error=${JSON.stringify(row.error)}`,
  ].join('  ');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { list: { type: 'boolean' }, all: { type: 'boolean' }, id: { type: 'string' }, schema: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return console.log(usage);
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  if (values.id !== undefined && !/^\d+$/.test(values.id)) throw new Error(`--id must be a number\n${usage}`);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 2 });
  try {
    const all = (values.schema ? [values.schema] : SCHEMAS).map((schema) => new PostgresFailedMessageStore(pool, schema));
    // Schemas whose consumers never started have no table (and nothing failed): leave them alone.
    const stores = (await Promise.all(all.map(async (store) => ((await store.exists()) ? store : undefined)))).filter(
      (store): store is PostgresFailedMessageStore => store !== undefined,
    );
    if (values.list) {
      let count = 0;
      for (const store of stores) {
        for (const row of await store.list({ all: values.all })) {
          console.log(show(store.schema, row));
          count += 1;
        }
      }
      console.log(`${count} failed message(s)${values.all ? '' : ' pending'}`);
      return;
    }
    await replay(stores, values.id);
  } finally {
    await pool.end();
  }
}

async function replay(stores: PostgresFailedMessageStore[], id?: string): Promise<void> {
  const candidates = id === undefined ? stores : await storesHolding(stores, id);
  if (id !== undefined && candidates.length !== 1) {
    throw new Error(candidates.length === 0 ? `no pending failed message #${id}` : `#${id} is pending in several schemas: add --schema`);
  }
  const requested = new Map<PostgresFailedMessageStore, Set<string>>();
  for (const store of candidates) {
    const before = new Set((await store.list()).map((row) => row.id));
    if ((await store.requestReplay(id)) > 0) requested.set(store, before);
  }
  if (requested.size === 0) return console.log('nothing to replay');
  console.log('replay requested; the running consumers apply it (a consumer that is down replays when it starts)');
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const rows = await Promise.all([...requested].map(async ([store, ids]) => (await store.list({ all: true })).filter((row) => ids.has(row.id)).map((row) => [store.schema, row] as const)));
    const flat = rows.flat();
    const waiting = flat.filter(([, row]) => !row.resolved_at && row.replay_requested_at);
    if (waiting.length === 0 || Date.now() > deadline) {
      for (const [schema, row] of flat) if (id === undefined || row.resolved_at || row.replay_requested_at === null) console.log(show(schema, row));
      if (waiting.length > 0) console.log(`${waiting.length} still waiting for their consumer`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function storesHolding(stores: PostgresFailedMessageStore[], id: string): Promise<PostgresFailedMessageStore[]> {
  const holding = await Promise.all(stores.map(async (store) => ((await store.list()).some((row) => row.id === id) ? store : undefined)));
  return holding.filter((store): store is PostgresFailedMessageStore => store !== undefined);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
