import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from '@platform/contracts';
import { inTransaction } from '@platform/event-store';
import { eventKey, type Projection } from './projection';

/** The part of an event store a rebuild reads: every committed event in global order. */
export interface EventSource {
  readCommitted(afterPosition: string, limit?: number): Promise<RecordedEvent[]>;
}

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
