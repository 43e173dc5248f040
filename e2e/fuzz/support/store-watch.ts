import { Client } from 'pg';

/** Per table: row count and highest key (events: global_position, outbox: id). */
export type StoreSnapshot = Record<string, { rows: number; top: number }>;

export interface StoreChange {
  table: string;
  before: { rows: number; top: number };
  after: { rows: number; top: number };
}

/**
 * Watches every event store, outbox and command status table of the embedded database, across all
 * schemas, so that a refused request can be checked to have written nothing.
 */
export class StoreWatch {
  private client?: Client;
  private snapshotSql = '';
  private quietSql = '';
  private eventTables: string[] = [];
  private commandTables: string[] = [];

  async connect(databaseUrl: string): Promise<void> {
    await this.close();
    this.client = new Client({ connectionString: databaseUrl });
    // The database stops with a crashed app; the runner reconnects after the restart.
    this.client.on('error', () => undefined);
    await this.client.connect();
    const { rows } = await this.client.query<{ schema: string; table: string }>(
      `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
        WHERE table_name IN ('events', 'outbox', 'command_status') AND table_schema NOT IN ('pg_catalog', 'information_schema')
        ORDER BY 1, 2`,
    );
    if (!rows.some((row) => row.table === 'events') || !rows.some((row) => row.table === 'command_status')) {
      throw new Error(`the embedded database has no event store or command status table: ${JSON.stringify(rows)}`);
    }
    const ident = (name: string) => this.client!.escapeIdentifier(name);
    const key = { events: 'global_position', outbox: 'id', command_status: '0' } as Record<string, string>;
    this.snapshotSql = rows
      .map(({ schema, table }) => `SELECT '${schema}.${table}' AS name, count(*)::bigint AS rows, coalesce(max(${key[table]}), 0)::bigint AS top FROM ${ident(schema)}.${ident(table)}`)
      .join(' UNION ALL ');
    this.eventTables = rows.filter((row) => row.table === 'events').map(({ schema }) => `${ident(schema)}.events`);
    this.commandTables = rows.filter((row) => row.table === 'command_status').map(({ schema }) => `${ident(schema)}.command_status`);
    const pending = rows.filter((row) => row.table === 'outbox').map(({ schema }) => `(SELECT count(*) FROM ${ident(schema)}.outbox)`);
    const started = rows.filter((row) => row.table === 'command_status').map(({ schema }) => `(SELECT count(*) FROM ${ident(schema)}.command_status WHERE status = 'started' AND created_at > now() - interval '10 seconds')`);
    this.quietSql = `SELECT (${[...pending, ...started].join(' + ')})::bigint AS busy`;
  }

  async snapshot(): Promise<StoreSnapshot> {
    const { rows } = await this.client!.query<{ name: string; rows: string; top: string }>(this.snapshotSql);
    return Object.fromEntries(rows.map((row) => [row.name, { rows: Number(row.rows), top: Number(row.top) }]));
  }

  /** Tables that gained a row (a higher key, or more rows where there is no key). */
  static added(before: StoreSnapshot, after: StoreSnapshot): StoreChange[] {
    return Object.keys(after)
      .filter((table) => after[table].top > (before[table]?.top ?? 0) || (after[table].top === 0 && after[table].rows > (before[table]?.rows ?? 0)))
      .map((table) => ({ table, before: before[table] ?? { rows: 0, top: 0 }, after: after[table] }));
  }

  /**
   * What was written since a snapshot, split by who caused it: commands recorded from `since` on, and
   * events whose correlation id is not a command recorded before `since` (those are earlier work that
   * was still running, such as the revocations that follow a password change).
   */
  async writtenSince(before: StoreSnapshot, since: Date): Promise<{ commands: string[]; events: string[]; earlierEvents: number }> {
    const commands: string[] = [];
    for (const table of this.commandTables) {
      const { rows } = await this.client!.query<{ command_type: string; status: string }>(`SELECT command_type, status FROM ${table} WHERE created_at >= $1 ORDER BY created_at`, [since]);
      commands.push(...rows.map((row) => `${row.command_type} (${row.status})`));
    }
    const earlier = this.commandTables.map((table) => `SELECT command_id FROM ${table} WHERE created_at < $2`).join(' UNION ALL ');
    const events: string[] = [];
    let earlierEvents = 0;
    for (const table of this.eventTables) {
      const name = table.replace(/"/g, '');
      const { rows } = await this.client!.query<{ event_type: string; earlier: boolean }>(
        `SELECT event_type, (metadata->>'correlationId') IN (${earlier}) AS earlier FROM ${table} WHERE global_position > $1 ORDER BY global_position`,
        [before[name]?.top ?? 0, since],
      );
      earlierEvents += rows.filter((row) => row.earlier).length;
      events.push(...rows.filter((row) => !row.earlier).map((row) => `${name.split('.')[0]}:${row.event_type}`));
    }
    return { commands, events, earlierEvents };
  }

  /**
   * Waits until accepted work has settled (no outbox row waiting, no recent command still started, and
   * the counts stable), so that the next request's snapshot is not disturbed by an earlier command.
   */
  async settle(timeoutMs = 3_000): Promise<StoreSnapshot> {
    const deadline = Date.now() + timeoutMs;
    let previous = await this.snapshot();
    for (;;) {
      await new Promise((wake) => setTimeout(wake, 15));
      const { rows } = await this.client!.query<{ busy: string }>(this.quietSql);
      const current = await this.snapshot();
      if ((Number(rows[0].busy) === 0 && JSON.stringify(current) === JSON.stringify(previous)) || Date.now() > deadline) return current;
      previous = current;
    }
  }

  async close(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}
