import type { Pool } from 'pg';
import { qualified } from '@platform/event-store';
import { describeError, type FailedMessage, type FailedMessageStore, type IncomingMessage } from '@platform/messaging';

export interface FailedMessageRow {
  id: string;
  consumer: string;
  topic: string;
  partition: number;
  message_offset: string;
  message_key: string;
  payload: unknown;
  headers: Record<string, string>;
  error: string;
  attempts: number;
  held_behind: string | null;
  failed_at: Date;
  replay_requested_at: Date | null;
  resolved_at: Date | null;
}

const toFailedMessage = (row: FailedMessageRow): FailedMessage => ({
  id: row.id,
  consumer: row.consumer,
  message: { topic: row.topic, partition: row.partition, offset: row.message_offset, key: row.message_key, value: row.payload, headers: row.headers },
  error: row.error,
  attempts: row.attempts,
  heldBehind: row.held_behind ?? undefined,
});

/**
 * `failed_messages` in the consuming context's schema. A row is pending until a replay applies it
 * (`resolved_at`). Payloads are kept whole: events and commands carry hashes, never secrets.
 */
export class PostgresFailedMessageStore implements FailedMessageStore {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {
    this.table = qualified(schema, 'failed_messages');
  }

  async exists(): Promise<boolean> {
    const { rows } = await this.pool.query<{ table: string | null }>(`SELECT to_regclass($1) AS table`, [this.table]);
    return rows[0].table !== null;
  }

  async pendingFor(consumer: string, key: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM ${this.table} WHERE consumer = $1 AND message_key = $2 AND resolved_at IS NULL ORDER BY id LIMIT 1`,
      [consumer, key],
    );
    return rows[0]?.id;
  }

  async heldKeys(consumer: string, keys: string[]): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ message_key: string }>(
      `SELECT DISTINCT message_key FROM ${this.table} WHERE consumer = $1 AND message_key = ANY($2::text[]) AND resolved_at IS NULL`,
      [consumer, keys],
    );
    return new Set(rows.map((row) => row.message_key));
  }

  /** A message parked behind a failure being replayed is replayed with it (it inherits the request). */
  async record(consumer: string, message: IncomingMessage, error: unknown, attempts: number, heldBehind?: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (consumer, topic, partition, message_offset, message_key, payload, headers, error, attempts, held_behind, replay_requested_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, (SELECT replay_requested_at FROM ${this.table} WHERE id = $10))`,
      [
        consumer,
        message.topic,
        message.partition,
        message.offset,
        message.key,
        JSON.stringify(message.value),
        message.headers,
        describeError(error),
        attempts,
        heldBehind ?? null,
      ],
    );
  }

  async keysToReplay(consumer: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ message_key: string }>(
      `SELECT DISTINCT message_key FROM ${this.table} WHERE consumer = $1 AND resolved_at IS NULL AND replay_requested_at IS NOT NULL`,
      [consumer],
    );
    return rows.map((row) => row.message_key);
  }

  async nextPending(consumer: string, key: string): Promise<FailedMessage | undefined> {
    const { rows } = await this.pool.query<FailedMessageRow>(
      `SELECT * FROM ${this.table} WHERE consumer = $1 AND message_key = $2 AND resolved_at IS NULL ORDER BY id LIMIT 1`,
      [consumer, key],
    );
    return rows[0] && toFailedMessage(rows[0]);
  }

  async resolve(id: string): Promise<void> {
    await this.pool.query(`UPDATE ${this.table} SET resolved_at = now() WHERE id = $1 AND resolved_at IS NULL`, [id]);
  }

  async failedAgain(id: string, error: unknown, attempts: number): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.table} SET error = $2, attempts = $3, failed_at = now(), replay_requested_at = NULL WHERE id = $1`,
      [id, describeError(error), attempts],
    );
    await this.pool.query(
      `UPDATE ${this.table} SET replay_requested_at = NULL
        WHERE consumer = (SELECT consumer FROM ${this.table} WHERE id = $1)
          AND message_key = (SELECT message_key FROM ${this.table} WHERE id = $1) AND resolved_at IS NULL`,
      [id],
    );
  }

  /** Maintenance: what is pending (or everything with `all`), oldest first. */
  async list(options: { all?: boolean; limit?: number } = {}): Promise<FailedMessageRow[]> {
    const { rows } = await this.pool.query<FailedMessageRow>(
      `SELECT * FROM ${this.table} ${options.all ? '' : 'WHERE resolved_at IS NULL'} ORDER BY id LIMIT $1`,
      [options.limit ?? 1000],
    );
    return rows;
  }

  async pendingCount(): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(`SELECT count(*) FROM ${this.table} WHERE resolved_at IS NULL`);
    return Number(rows[0].count);
  }

  /** Asks the running consumers to replay a pending message (with `id`, and those of its key) or every pending one. */
  async requestReplay(id?: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.table} SET replay_requested_at = now() WHERE resolved_at IS NULL ${id === undefined ? '' : 'AND id = $1'}`,
      id === undefined ? [] : [id],
    );
    return rowCount ?? 0;
  }
}
