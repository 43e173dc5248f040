import { Client, type Pool } from 'pg';
import type { MessageBus } from '@platform/messaging';
import { onScrape, outboxDepth } from '@platform/observability';
import { outboxChannel, qualified } from './schema';

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: unknown;
  headers: Record<string, string>;
}

export interface OutboxRelayOptions {
  schema: string;
  connectionString: string;
  batchSize?: number;
  /** Fallback poll when no notification arrives (and the lock retry period for standby replicas). */
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Publishes outbox rows in insertion order, then deletes them. One replica at a time holds the
 * schema's advisory lock, so per-key order is kept; the others stand by. A crash after publishing
 * and before deleting republishes (at-least-once), which idempotent consumers absorb.
 */
export class OutboxRelay {
  private listener?: Client;
  private running = false;
  private wake?: () => void;
  private notified = false;
  private loop?: Promise<void>;
  private stopSampling?: () => void;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  /** Ids published and not yet deleted: their DELETE rides on the next read (or on stop), one statement per batch instead of two. */
  private published: string[] = [];

  constructor(
    private readonly pool: Pool,
    private readonly bus: MessageBus,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  async start(): Promise<void> {
    this.running = true;
    this.stopSampling = onScrape(async () => outboxDepth.set({ schema: this.options.schema }, await this.depth()));
    await this.connect();
    this.loop = this.run();
  }

  /**
   * The LISTEN connection also holds the leader lock; losing it (a database restart) means reconnecting and
   * leading anew. The leader's deletes run on it too, without waiting for their WAL flush: a delete that a
   * crash undoes only republishes its rows (at-least-once, as above), so it need not cost an fsync a batch.
   */
  private async connect(): Promise<void> {
    const listener = new Client({
      connectionString: this.options.connectionString,
      application_name: `outbox-relay:${this.options.schema}`,
      options: '-c synchronous_commit=off',
    });
    listener.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    listener.on('error', (error) => {
      this.options.onError?.(error);
      if (this.listener === listener) this.listener = undefined;
    });
    listener.on('end', () => {
      if (this.listener === listener) this.listener = undefined;
    });
    await listener.connect();
    await listener.query(`LISTEN "${outboxChannel(this.options.schema)}"`);
    this.listener = listener;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopSampling?.();
    this.wake?.();
    await this.loop;
    await this.deletePublished().catch((error: unknown) => this.options.onError?.(error));
    await this.listener?.end().catch(() => undefined);
  }

  /** Publishes everything pending now; for tests and for draining on shutdown. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      total += published;
      if (published === 0) return total;
    }
  }

  /** Rows not yet published. */
  async depth(): Promise<number> {
    const { rows } = await this.pool.query<{ depth: number }>(
      `SELECT count(*) FILTER (WHERE id <> ALL($1::bigint[]))::int AS depth FROM ${qualified(this.options.schema, 'outbox')}`,
      [this.published],
    );
    return rows[0].depth;
  }

  private async run(): Promise<void> {
    let leader = false;
    while (this.running) {
      try {
        if (!this.listener) {
          leader = false;
          await this.connect();
        }
        if (!leader) leader = await this.tryLead();
        this.notified = false;
        if (leader && (await this.publishBatch()) === this.batchSize) continue;
      } catch (error) {
        this.options.onError?.(error);
      }
      await this.sleep();
    }
  }

  private async tryLead(): Promise<boolean> {
    const { rows } = await this.listener!.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(hashtext($1)) AS locked`,
      [`outbox-relay:${this.options.schema}`],
    );
    return rows[0].locked;
  }

  /**
   * Deletes what the previous batch published and reads the next batch, in one statement (both see the
   * same snapshot, so the deleted ids are left out of the read). A crash before that statement
   * republishes the previous batch: at-least-once, as before.
   */
  private async publishBatch(): Promise<number> {
    const outbox = qualified(this.options.schema, 'outbox');
    const deleting = this.published;
    const { rows } = await (this.listener ?? this.pool).query<OutboxRow>(
      `WITH published AS (DELETE FROM ${outbox} WHERE id = ANY($2::bigint[]))
       SELECT id, topic, message_key, payload, headers FROM ${outbox} WHERE id <> ALL($2::bigint[]) ORDER BY id LIMIT $1`,
      [this.batchSize, deleting],
    );
    if (this.published === deleting) this.published = [];
    if (rows.length === 0) return 0;
    for (const [topic, messages] of groupByTopic(rows)) {
      await this.bus.publish(
        topic,
        messages.map((row) => ({ key: row.message_key, value: row.payload, headers: row.headers })),
      );
    }
    this.published = [...this.published, ...rows.map((row) => row.id)];
    return rows.length;
  }

  private async deletePublished(): Promise<void> {
    if (this.published.length === 0) return;
    const deleting = this.published;
    await this.pool.query(`DELETE FROM ${qualified(this.options.schema, 'outbox')} WHERE id = ANY($1::bigint[])`, [deleting]);
    if (this.published === deleting) this.published = [];
  }

  private sleep(): Promise<void> {
    if (this.notified || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

const groupByTopic = (rows: OutboxRow[]): Map<string, OutboxRow[]> => {
  const groups = new Map<string, OutboxRow[]>();
  for (const row of rows) groups.set(row.topic, [...(groups.get(row.topic) ?? []), row]);
  return groups;
};
