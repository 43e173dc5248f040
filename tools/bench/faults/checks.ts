import type { Pool } from 'pg';
import { CONTEXTS } from '@platform/contracts';
import { migrateSchema, PostgresEventStore } from '@platform/event-store';
import { GATEWAY_MIGRATIONS, GATEWAY_PROJECTIONS } from '@platform/gateway';
import { Projector } from '@platform/projector';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const schemaOf = (prefix: string, context: string) => `${prefix}${context}`.replace(/-/g, '_');

/** Accepted commands still `started` after waiting up to timeoutMs for each to succeed or be rejected. */
export async function stuckCommands(pool: Pool, prefix: string, ids: string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ command_id: string }>(
      `SELECT id AS command_id FROM unnest($1::text[]) AS id
        WHERE NOT EXISTS (SELECT 1 FROM "${schemaOf(prefix, 'gateway')}".command_status s WHERE s.command_id = id AND s.status <> 'started')`,
      [ids],
    );
    if (rows.length === 0 || Date.now() > deadline) return rows.map((row) => row.command_id);
    await sleep(500);
  }
}

/** Commands of the list with more than one event of a type in some store: a command applied twice. */
export async function doubledCommands(pool: Pool, prefix: string, ids: string[]): Promise<string[]> {
  const doubled = new Set<string>();
  for (const context of CONTEXTS) {
    const { rows } = await pool.query<{ command_id: string }>(
      `SELECT metadata->>'commandId' AS command_id FROM "${schemaOf(prefix, context)}".events
        WHERE metadata->>'commandId' = ANY($1::text[])
        GROUP BY metadata->>'commandId', event_type HAVING count(*) > 1`,
      [ids],
    );
    for (const row of rows) doubled.add(row.command_id);
  }
  return [...doubled];
}

/**
 * When the first command succeeded at or after `since` (ms), if one has: commands flow again. (Commands
 * accepted during an outage queue in the outboxes; draining that backlog is not counted.)
 */
export async function firstSucceededAfter(pool: Pool, prefix: string, since: number): Promise<number | undefined> {
  const { rows } = await pool.query<{ at: Date | null }>(
    `SELECT min(completed_at) AS at FROM "${schemaOf(prefix, 'gateway')}".command_status
      WHERE status = 'succeeded' AND completed_at >= to_timestamp($1::double precision / 1000)`,
    [since],
  );
  return rows[0]?.at?.getTime();
}

/**
 * Rebuilds the gateway's read models from every store into a scratch schema and lists the tables whose
 * rows differ from the live ones (sequence ids aside). Live consumers may still be catching up, so a
 * difference is looked at again for up to timeoutMs.
 */
export async function readModelDifferences(pool: Pool, databaseUrl: string, prefix: string, timeoutMs: number): Promise<string[]> {
  const scratch = `${prefix}faults_rebuild`;
  const live = schemaOf(prefix, 'gateway');
  const tables = GATEWAY_PROJECTIONS.flatMap((projection) => projection.tables);
  const projector = new Projector(pool, scratch, GATEWAY_PROJECTIONS);
  const sources = CONTEXTS.map((context) => new PostgresEventStore(pool, { schema: schemaOf(prefix, context), context, eventsTopic: '' }));
  const deadline = Date.now() + timeoutMs;
  try {
    await migrateSchema({ databaseUrl, schema: scratch, migrations: GATEWAY_MIGRATIONS });
    for (;;) {
      await projector.rebuild(sources);
      const differing: string[] = [];
      for (const table of tables) {
        const rows = (schema: string) => `SELECT to_jsonb(t) - 'id' AS row FROM "${schema}".${table} t`;
        const { rows: counted } = await pool.query<{ differing: number }>(
          `SELECT count(*)::int AS differing FROM ((${rows(live)} EXCEPT ALL ${rows(scratch)}) UNION ALL (${rows(scratch)} EXCEPT ALL ${rows(live)})) d`,
        );
        if (counted[0].differing === 0) continue;
        const { rows: sample } = await pool.query<{ row: unknown }>(`(${rows(live)} EXCEPT ALL ${rows(scratch)}) LIMIT 1`);
        const { rows: rebuilt } = await pool.query<{ row: unknown }>(`(${rows(scratch)} EXCEPT ALL ${rows(live)}) LIMIT 1`);
        differing.push(`${table} (${counted[0].differing} rows; live ${JSON.stringify(sample[0]?.row ?? null)}, rebuilt ${JSON.stringify(rebuilt[0]?.row ?? null)})`);
      }
      if (differing.length === 0 || Date.now() > deadline) return differing;
      await sleep(1_000);
    }
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${scratch}" CASCADE`);
  }
}
