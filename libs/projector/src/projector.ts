import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from '@platform/contracts';
import { addParts, inTransaction, noParts, type PendingEvent, runParts, type StatementParts } from '@platform/event-store';
import { eventKey, type Projection } from './projection';

/** A read model's checkpoint of one stream: projection name, stream id, version. */
export type Checkpoint = readonly [projection: string, streamId: string, version: number];

/** The part of an event store a rebuild reads: every committed event in global order. */
export interface EventSource {
  readCommitted(afterPosition: string, limit?: number): Promise<RecordedEvent[]>;
}

const isRecorded = (event: PendingEvent): event is RecordedEvent => 'globalPosition' in event;

const quoted = (schema: string): string => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return `"${schema}"`;
};

/**
 * Applies events to read models exactly once per (projection, stream, version), so a redelivered
 * message changes nothing. The per-stream checkpoint is written in the same transaction as the rows.
 */
export class Projector {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly projections: readonly Projection[],
  ) {}

  /** Applies one event; returns the projections that changed. */
  async apply(event: RecordedEvent, after?: (client: PoolClient) => Promise<void>): Promise<string[]> {
    return inTransaction(this.pool, async (client) => {
      const applied = await this.applyIn(client, event);
      await after?.(client);
      return applied;
    });
  }

  /** Drops every read model's rows and replays all events from the stores, in one transaction. */
  async rebuild(sources: readonly EventSource[]): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const tables = this.projections.flatMap((p) => p.tables.map((t) => `${quoted(this.schema)}.${t}`));
      await client.query(`LOCK TABLE ${quoted(this.schema)}.projection_checkpoints, ${tables.join(', ')} IN ACCESS EXCLUSIVE MODE`);
      await client.query(`TRUNCATE ${quoted(this.schema)}.projection_checkpoints, ${tables.join(', ')}`);
      let replayed = 0;
      for (const source of sources) {
        let position = '0';
        for (;;) {
          const batch = await source.readCommitted(position, 1000);
          if (batch.length === 0) break;
          for (const event of batch) await this.applyIn(client, event);
          replayed += batch.length;
          position = batch[batch.length - 1].globalPosition.position;
        }
      }
      return replayed;
    });
  }

  /**
   * Applies a writer's own events inside its transaction (an inline projection), with the same
   * per-stream checkpoints as `apply`, read and written once for the whole batch: a later delivery of
   * the same events through the bus changes nothing.
   * `then` runs last, in the same transaction, and must send the checkpoint update with a statement of
   * its own: `alongside(params)` gives it as a CTE (or undefined when no checkpoint moved), which saves
   * the update its own round trip.
   */
  async applyWithin<T = void>(
    client: PoolClient,
    events: readonly RecordedEvent[],
    then?: (alongside: (params: unknown[]) => string | undefined) => Promise<T>,
  ): Promise<T | undefined> {
    const updates = await this.applyReadingCheckpoints(client, events);
    const table = `${quoted(this.schema)}.projection_checkpoints`;
    const update = (params: unknown[]) =>
      `UPDATE ${table} c SET version = t.v FROM unnest($${params.push(updates.map(([name]) => name))}::text[], $${params.push(updates.map(([, stream]) => stream))}::text[], $${params.push(updates.map(([, , version]) => version))}::int[]) AS t(p, s, v)
        WHERE c.projection = t.p AND c.stream_id = t.s`;
    if (!then) {
      if (updates.length > 0) {
        const params: unknown[] = [];
        await client.query(update(params), params);
      }
      return undefined;
    }
    let sent = updates.length === 0;
    const result = await then((params) => {
      if (updates.length === 0) return undefined;
      sent = true;
      return `checkpoints AS (${update(params)})`;
    });
    if (!sent) throw new Error('applyWithin: the checkpoint update was not sent');
    return result;
  }

  /** Applies what each checkpoint has not seen yet; returns the checkpoints to raise. Claims (locks) them first. */
  private async applyReadingCheckpoints(client: PoolClient, events: readonly RecordedEvent[]): Promise<Checkpoint[]> {
    const work = events.flatMap((event) => this.projections.filter((p) => p.handles.includes(eventKey(event))).map((projection) => ({ projection, event })));
    if (work.length === 0) return [];
    const keys = [...new Map(work.map(({ projection, event }) => [`${projection.name}\0${event.streamId}`, [projection.name, event.streamId]])).values()];
    // One statement claims every checkpoint row: new ones start at 0, existing ones are locked and read.
    const { rows } = await client.query<{ projection: string; stream_id: string; version: number }>(
      `INSERT INTO ${quoted(this.schema)}.projection_checkpoints AS c (projection, stream_id, version) SELECT p, s, 0 FROM unnest($1::text[], $2::text[]) AS t(p, s)
       ORDER BY p, s ON CONFLICT (projection, stream_id) DO UPDATE SET version = c.version RETURNING projection, stream_id, version`,
      [keys.map(([name]) => name), keys.map(([, stream]) => stream)],
    );
    const checkpoints = new Map(rows.map((row) => [`${row.projection}\0${row.stream_id}`, row.version]));
    const reached = new Map<string, Checkpoint>();
    const due = new Map<Projection, RecordedEvent[]>();
    for (const { projection, event } of work) {
      const key = `${projection.name}\0${event.streamId}`;
      if ((checkpoints.get(key) ?? 0) >= event.version) continue;
      if (!due.has(projection)) due.set(projection, []);
      due.get(projection)!.push(event);
      checkpoints.set(key, event.version);
      reached.set(key, [projection.name, event.streamId, event.version]);
    }
    await this.applyDue(client, due);
    return [...reached.values()];
  }

  /**
   * Events that the caller's own statement appends (a writer's inline projection), as writes of that
   * statement: no delivery can have applied them yet, so no checkpoint needs reading; the rows and the
   * raised per-stream checkpoints ride along, and a later delivery through the bus changes nothing.
   * Projections without `batchParts` are applied at once on `client`.
   */
  async appendedParts(client: PoolClient, events: readonly PendingEvent[], params: unknown[]): Promise<StatementParts> {
    const reached = new Map<string, Checkpoint>();
    for (const event of events) {
      for (const projection of this.projections) {
        if (projection.handles.includes(eventKey(event))) reached.set(`${projection.name}\0${event.streamId}`, [projection.name, event.streamId, event.version]);
      }
    }
    if (reached.size === 0) return noParts();
    const parts = await this.dueParts(client, this.dueOf(events), params);
    return addParts(parts, { writes: [this.raisedCheckpoints([...reached.values()], params)], selects: [] });
  }

  /** Applies events to every projection that handles them, reading and writing no checkpoint: the caller owns them. */
  async applyWithoutCheckpoints(client: PoolClient, events: readonly RecordedEvent[]): Promise<void> {
    await this.applyDue(client, this.dueOf(events));
  }

  /** The statement that raises these checkpoints (never lowers them), as a write of the caller's statement. */
  raisedCheckpoints(checkpoints: readonly Checkpoint[], params: unknown[]): string {
    const [names, streams, versions] = [checkpoints.map(([name]) => name), checkpoints.map(([, stream]) => stream), checkpoints.map(([, , version]) => version)];
    return `INSERT INTO ${quoted(this.schema)}.projection_checkpoints AS c (projection, stream_id, version)
       SELECT * FROM unnest($${params.push(names)}::text[], $${params.push(streams)}::text[], $${params.push(versions)}::int[]) ORDER BY 1, 2
       ON CONFLICT (projection, stream_id) DO UPDATE SET version = GREATEST(c.version, EXCLUDED.version)`;
  }

  private dueOf<E extends PendingEvent>(events: readonly E[]): Map<Projection, E[]> {
    const due = new Map<Projection, E[]>();
    for (const event of events) {
      for (const projection of this.projections) {
        if (!projection.handles.includes(eventKey(event))) continue;
        if (!due.has(projection)) due.set(projection, []);
        due.get(projection)!.push(event);
      }
    }
    return due;
  }

  /** Every due projection's change, those with `batchParts` in one statement. */
  private async applyDue(client: PoolClient, due: ReadonlyMap<Projection, RecordedEvent[]>): Promise<void> {
    const params: unknown[] = [];
    await runParts(client, await this.dueParts(client, due, params), params);
  }

  /** The writes of the projections with `batchParts`; the others are applied at once. */
  private async dueParts(client: PoolClient, due: ReadonlyMap<Projection, PendingEvent[]>, params: unknown[]): Promise<StatementParts> {
    const parts = noParts();
    for (const [projection, events] of due) {
      if (projection.batchParts) addParts(parts, await projection.batchParts(client, this.schema, events, params));
      else if (!events.every(isRecorded)) throw new Error(`projection ${projection.name} needs recorded events: give it batchParts`);
      else if (projection.applyBatch) await projection.applyBatch(client, this.schema, events);
      else for (const event of events) await projection.apply(client, this.schema, event);
    }
    return parts;
  }

  private async applyIn(client: PoolClient, event: RecordedEvent): Promise<string[]> {
    const applied: string[] = [];
    for (const projection of this.projections) {
      if (!projection.handles.includes(eventKey(event))) continue;
      await client.query(
        `INSERT INTO ${quoted(this.schema)}.projection_checkpoints (projection, stream_id, version) VALUES ($1, $2, 0)
         ON CONFLICT DO NOTHING`,
        [projection.name, event.streamId],
      );
      const { rows } = await client.query<{ version: number }>(
        `SELECT version FROM ${quoted(this.schema)}.projection_checkpoints
          WHERE projection = $1 AND stream_id = $2 FOR UPDATE`,
        [projection.name, event.streamId],
      );
      if (rows[0].version >= event.version) continue;
      await projection.apply(client, this.schema, event);
      await client.query(
        `UPDATE ${quoted(this.schema)}.projection_checkpoints SET version = $3 WHERE projection = $1 AND stream_id = $2`,
        [projection.name, event.streamId, event.version],
      );
      applied.push(projection.name);
    }
    return applied;
  }

}
