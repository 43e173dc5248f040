import type { Pool, PoolClient } from 'pg';
import { type CommandResult, type RecordedEvent, upcastEvent } from '@platform/contracts';
import { traceHeaders } from '@platform/observability';
import { CommandAlreadyProcessedError, UniqueClaimConflictError, WrongExpectedVersionError } from './errors';
import { type AppendBatchOptions, appendBatchIn, type BatchAppendResult } from './batch-append';
import { outboxChannel, qualified } from './schema';
import { inTransaction, withClient } from './transaction';
import type { AppendRequest, CommandRecord, EventStoreOptions, GlobalCheckpoint, UniqueClaim } from './types';

interface EventRow {
  stream_id: string;
  version: number;
  stream_type: string;
  global_position: string;
  transaction_id: string;
  event_type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
}

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (error: unknown, constraint: string): boolean =>
  (error as { code?: string; constraint?: string }).code === UNIQUE_VIOLATION &&
  (error as { constraint?: string }).constraint === constraint;

/** Raw rows as stored; each context upcasts old shapes (`…V1`) on read. */
export type Upcaster = (event: RecordedEvent) => RecordedEvent;

/**
 * One bounded context's append-only store. Every append carries an expected version, claims its
 * unique values, records its command (idempotency) and writes its outbox rows in one transaction,
 * so nothing is lost or published twice-without-cause between the commit and Kafka.
 */
export class PostgresEventStore {
  private readonly table: (name: string) => string;

  constructor(
    private readonly pool: Pool,
    private readonly options: EventStoreOptions,
    private readonly upcast: Upcaster = upcastEvent,
  ) {
    this.table = (name) => qualified(options.schema, name);
  }

  get schema(): string {
    return this.options.schema;
  }

  async readStream(streamId: string): Promise<{ events: RecordedEvent[]; version: number }> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT * FROM ${this.table('events')} WHERE stream_id = $1 ORDER BY version`,
      [streamId],
    );
    const events = rows.map((row) => this.toRecorded(row));
    return { events, version: events.length === 0 ? 0 : events[events.length - 1].version };
  }

  /**
   * Events in commit-safe global order after `after`. Only transactions older than every transaction
   * still in flight are visible, so a reader never moves its checkpoint past a late-committing append.
   */
  async readAll(after: GlobalCheckpoint, limit = 500): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT * FROM ${this.table('events')}
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id, global_position
        LIMIT $3`,
      [after.transactionId, after.position, limit],
    );
    return rows.map((row) => this.toRecorded(row));
  }

  /**
   * Every committed event after `afterPosition` by global position. For a rebuild that holds its read
   * model's locks: anything committing later reaches the read model through the live consumer.
   */
  async readCommitted(afterPosition: string, limit = 500): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT * FROM ${this.table('events')} WHERE global_position > $1::bigint ORDER BY global_position LIMIT $2`,
      [afterPosition, limit],
    );
    return rows.map((row) => this.toRecorded(row));
  }

  async findCommand(commandId: string): Promise<CommandRecord | undefined> {
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.table('processed_commands')} WHERE command_id = $1`,
      [commandId],
    );
    if (rows.length === 0) return undefined;
    const row = rows[0];
    return {
      commandId: row.command_id,
      commandType: row.command_type,
      status: row.status,
      reason: row.reason ?? undefined,
      result: row.result ?? undefined,
      actor: {},
      correlationId: '',
      completedAt: new Date(row.processed_at).toISOString(),
    };
  }

  async append(request: AppendRequest): Promise<RecordedEvent[]> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ version: number | null }>(
        `SELECT max(version) AS version FROM ${this.table('events')} WHERE stream_id = $1`,
        [request.streamId],
      );
      const actual = rows[0].version ?? 0;
      if (actual !== request.expectedVersion) {
        throw new WrongExpectedVersionError(request.streamId, request.expectedVersion, actual);
      }
      for (const claim of request.claims ?? []) await this.claim(client, claim, request.streamId);
      for (const release of request.releases ?? []) {
        await client.query(
          `DELETE FROM ${this.table('unique_claims')} WHERE claim_scope = $1 AND claim_value = $2 AND stream_id = $3`,
          [release.scope, release.value, request.streamId],
        );
      }
      const recorded: RecordedEvent[] = [];
      for (const [index, event] of request.events.entries()) {
        const row = await this.insertEvent(client, request, request.expectedVersion + index + 1, event);
        recorded.push(this.toRecorded(row));
      }
      for (const event of recorded) await this.enqueue(client, event.streamId, event, { 'message-kind': 'event' });
      if (request.command) await this.recordCommand(client, request.streamId, request.command);
      return recorded;
    });
  }

  /**
   * Many appends (and rejections: requests without events) in ONE transaction with multi-row
   * statements and one notification. A request with a stale version, a taken claim or an already
   * processed command is reported as such and the others still commit.
   */
  async appendBatch(requests: AppendRequest[], options: AppendBatchOptions = {}): Promise<BatchAppendResult[]> {
    if (requests.length === 0) return [];
    return withClient(this.pool, (client) =>
      appendBatchIn(
        client,
        {
          table: this.table,
          options: this.options,
          notifyChannel: outboxChannel(this.options.schema),
          toRecorded: (row) => this.toRecorded(row as unknown as EventRow),
        },
        requests,
        options,
      ),
    );
  }

  /**
   * Streams' events in one query, by stream id. With `after`, only a stream's events past the version
   * given for it (a caller that holds the state up to there); a stream without new ones keeps that version.
   */
  async readStreams(streamIds: string[], after?: ReadonlyMap<string, number>): Promise<Map<string, { events: RecordedEvent[]; version: number }>> {
    const streams = new Map<string, { events: RecordedEvent[]; version: number }>(streamIds.map((id) => [id, { events: [], version: after?.get(id) ?? 0 }]));
    if (streamIds.length === 0) return streams;
    const ids = [...new Set(streamIds)];
    const { rows } =
      after && ids.some((id) => (after.get(id) ?? 0) > 0)
        ? await this.pool.query<EventRow>(
            `SELECT e.* FROM unnest($1::text[], $2::int[]) AS f(stream_id, after)
               JOIN ${this.table('events')} e ON e.stream_id = f.stream_id AND e.version > f.after
              ORDER BY e.stream_id, e.version`,
            [ids, ids.map((id) => after.get(id) ?? 0)],
          )
        : await this.pool.query<EventRow>(`SELECT * FROM ${this.table('events')} WHERE stream_id = ANY($1) ORDER BY stream_id, version`, [ids]);
    for (const row of rows) {
      const stream = streams.get(row.stream_id)!;
      stream.events.push(this.toRecorded(row));
      stream.version = row.version;
    }
    return streams;
  }

  /** Records a command that appended nothing (a rejection), with its result in the outbox. */
  async recordOutcome(streamId: string, command: CommandRecord): Promise<void> {
    await inTransaction(this.pool, (client) => this.recordCommand(client, streamId, command));
  }

  private async insertEvent(
    client: PoolClient,
    request: AppendRequest,
    version: number,
    event: AppendRequest['events'][number],
  ): Promise<EventRow> {
    try {
      const { rows } = await client.query<EventRow>(
        `INSERT INTO ${this.table('events')}
           (stream_id, version, stream_type, event_type, schema_version, data, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING *`,
        [request.streamId, version, request.streamType, event.type, event.schemaVersion, event.data, request.metadata],
      );
      return rows[0];
    } catch (error) {
      if (isUniqueViolation(error, 'events_pkey')) {
        throw new WrongExpectedVersionError(request.streamId, request.expectedVersion, undefined);
      }
      throw error;
    }
  }

  private async claim(client: PoolClient, claim: UniqueClaim, streamId: string): Promise<void> {
    const { rows } = await client.query<{ stream_id: string }>(
      `WITH inserted AS (
         INSERT INTO ${this.table('unique_claims')} (claim_scope, claim_value, stream_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING stream_id)
       SELECT stream_id FROM inserted
       UNION ALL
       SELECT stream_id FROM ${this.table('unique_claims')} WHERE claim_scope = $1 AND claim_value = $2
       LIMIT 1`,
      [claim.scope, claim.value, streamId],
    );
    if (rows[0]?.stream_id !== streamId) throw new UniqueClaimConflictError(claim.scope, claim.rejectionReason);
  }

  private async recordCommand(client: PoolClient, streamId: string, command: CommandRecord): Promise<void> {
    try {
      await client.query(
        `INSERT INTO ${this.table('processed_commands')} (command_id, command_type, stream_id, status, reason, result)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [command.commandId, command.commandType, streamId, command.status, command.reason ?? null, command.result ?? null],
      );
    } catch (error) {
      if (isUniqueViolation(error, 'processed_commands_pkey')) throw new CommandAlreadyProcessedError(command.commandId);
      throw error;
    }
    const message: CommandResult = {
      kind: 'command-result',
      context: this.options.context,
      streamId,
      ...command,
    };
    await this.enqueue(client, streamId, message, { 'message-kind': 'command-result' });
  }

  private async enqueue(client: PoolClient, key: string, payload: object, headers: Record<string, string>) {
    await client.query(
      `INSERT INTO ${this.table('outbox')} (topic, message_key, payload, headers) VALUES ($1, $2, $3, $4)`,
      [this.options.eventsTopic, key, payload, { ...headers, ...traceHeaders() }],
    );
    await client.query(`SELECT pg_notify($1, '')`, [outboxChannel(this.options.schema)]);
  }

  /** An `events` row read by a caller's own query (e.g. inside its transaction), as the store reads it. */
  recordedOf(row: Record<string, unknown>): RecordedEvent {
    return this.toRecorded(row as unknown as EventRow);
  }

  private toRecorded(row: EventRow): RecordedEvent {
    return this.upcast({
      kind: 'event',
      context: this.options.context,
      streamId: row.stream_id,
      streamType: row.stream_type,
      version: row.version,
      globalPosition: { transactionId: String(row.transaction_id), position: String(row.global_position) },
      type: row.event_type,
      schemaVersion: row.schema_version,
      data: row.data,
      metadata: row.metadata,
    });
  }
}
