import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { CommandResult, RecordedEvent } from '@platform/contracts';
import { traceHeaders } from '@platform/observability';
import { partCtes, type StatementParts } from './statement-parts';
import type { AppendRequest, EventStoreOptions } from './types';

/** What became of one request of a batch; the others are unaffected by it. */
export type BatchAppendResult =
  | { status: 'appended'; events: RecordedEvent[] }
  | { status: 'wrong-version' }
  | { status: 'claim-conflict'; reason: string }
  | { status: 'duplicate' };

export interface AppendBatchOptions {
  /** Runs inside the batch's transaction after the appends (an inline projection); a throw rolls everything back. */
  inTransaction?: (client: PoolClient, appended: RecordedEvent[]) => Promise<void>;
  /**
   * Writes that ride on the statement that writes the outbox rows (an inline projection without round
   * trips of its own): given the round's appended events and that statement's parameters. It may read
   * on `client` first. A round that is rolled back (or a one-statement attempt that failed) calls it
   * again for the next one. Undefined means these writes need the rounds' transaction: the batch is not
   * tried as one statement, and `inTransaction` does them.
   */
  alongside?: (client: PoolClient, appended: PendingEvent[], params: unknown[]) => Promise<StatementParts | undefined>;
  /**
   * Every expected version was read from this store or kept from an append to it, so it may be stale but
   * never ahead: a stale one is caught by the event insert's conflict (its next version exists), and the
   * versions are not read first.
   */
  versionsFromStore?: boolean;
}

/** An event as a batch writes it: everything but the position the store gives it. */
export type PendingEvent = Omit<RecordedEvent, 'globalPosition'>;

export interface BatchTables {
  table: (name: string) => string;
  options: EventStoreOptions;
  notifyChannel: string;
  toRecorded: (row: Record<string, unknown>) => RecordedEvent;
}

const UNIQUE_VIOLATION = '23505';
/** Thrown when `alongside` declines the one-statement attempt. */
const NEEDS_ROUNDS = Symbol('needs the rounds');

/** `($n, $n+1, …), (…)` for `rows`, their values pushed onto `params`. */
const valuesInto = (params: unknown[], rows: unknown[][]): string =>
  rows.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(', ')})`).join(', ');

/** `($1, $2, …), ($n, …)` for rows of `width` parameters, plus the flattened values. */
const valuesOf = (rows: unknown[][]): { sql: string; params: unknown[] } => {
  const params: unknown[] = [];
  return { sql: valuesInto(params, rows), params };
};

/**
 * Appends many requests on `client`. A batch that fits (`fitsOneStatement`) is first tried as one
 * statement; otherwise, or when that fails on a conflict, in rounds: one transaction per round, with
 * multi-row statements. A request that loses (stale version, taken claim, command already processed) is
 * set aside and the round is rolled back and redone without it, so one loser never fails the others.
 * Every round removes at least one request, so this ends. The inline projection runs in the winning
 * round's transaction.
 */
export async function appendBatchIn(client: PoolClient, tables: BatchTables, requests: AppendRequest[], options: AppendBatchOptions): Promise<BatchAppendResult[]> {
  if (fitsOneStatement(requests, options)) {
    try {
      return await appendInOneStatement(client, tables, requests, options);
    } catch (error) {
      // Something taken after all (a stream version, a claim, a command id): the rounds tell which request lost.
      if (error !== NEEDS_ROUNDS && (error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    }
  }
  const { table } = tables;
  const results: (BatchAppendResult | undefined)[] = requests.map(() => undefined);
  for (;;) {
    const live = requests.map((request, index) => ({ request, index })).filter(({ index }) => !results[index]);
    if (live.length === 0) return results as BatchAppendResult[];
    await client.query('BEGIN');
    try {
      const lost = await appendRound(client, tables, live);
      if (lost.size > 0) {
        await client.query('ROLLBACK');
        for (const [index, result] of lost) results[index] = result;
        continue;
      }
      const appended: RecordedEvent[] = [];
      for (const item of live) {
        const events = (item as typeof item & { recorded?: RecordedEvent[] }).recorded ?? [];
        appended.push(...events);
        results[item.index] = { status: 'appended', events };
      }
      await options.inTransaction?.(client, appended);
      await client.query('COMMIT');
      return results as BatchAppendResult[];
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async function appendRound(
    client: PoolClient,
    tables: BatchTables,
    live: { request: AppendRequest; index: number; recorded?: RecordedEvent[] }[],
  ): Promise<Map<number, BatchAppendResult>> {
    const lost = new Map<number, BatchAppendResult>();
    const writers = live.filter(({ request }) => request.events.length > 0);

    // Versions: each writer must find its stream where the previous writer of the batch left it. A stream
    // whose first writer expects it empty needs no read: inserting version 1 conflicts if it is not.
    const firstWriters = new Map<string, AppendRequest>();
    for (const { request } of writers) if (!firstWriters.has(request.streamId)) firstWriters.set(request.streamId, request);
    const toRead = [...firstWriters.values()].filter((request) => request.expectedVersion > 0).map((request) => request.streamId);
    const running = new Map<string, number>();
    if (options.versionsFromStore) for (const request of firstWriters.values()) running.set(request.streamId, request.expectedVersion);
    else if (toRead.length > 0) {
      const { rows } = await client.query<{ stream_id: string; version: number }>(
        `SELECT stream_id, max(version) AS version FROM ${table('events')} WHERE stream_id = ANY($1) GROUP BY stream_id`,
        [toRead],
      );
      for (const row of rows) running.set(row.stream_id, row.version);
    }
    const failedStreams = new Set<string>();
    for (const { request, index } of writers) {
      const actual = running.get(request.streamId) ?? 0;
      if (failedStreams.has(request.streamId) || actual !== request.expectedVersion) {
        failedStreams.add(request.streamId);
        lost.set(index, { status: 'wrong-version' });
      } else {
        running.set(request.streamId, actual + request.events.length);
      }
    }
    if (lost.size > 0) return lost;

    // Unique claims, in a stable order so two batches never wait on each other in a cycle.
    const claims = live
      .flatMap(({ request, index }) => (request.claims ?? []).map((claim) => ({ claim, index, streamId: request.streamId })))
      .sort((a, b) => (a.claim.scope + '\0' + a.claim.value < b.claim.scope + '\0' + b.claim.value ? -1 : 1));
    if (claims.length > 0) {
      // One statement: the rows it inserts (returned) and those its snapshot already holds. A claim
      // committed by another transaction after that snapshot is in neither, so it counts as taken.
      const params: unknown[] = [claims.map(({ claim }) => claim.scope), claims.map(({ claim }) => claim.value)];
      const rowsSql = valuesInto(params, claims.map(({ claim, streamId }) => [claim.scope, claim.value, streamId]));
      const { rows } = await client.query<{ claim_scope: string; claim_value: string; stream_id: string }>(
        `WITH inserted AS (
           INSERT INTO ${table('unique_claims')} (claim_scope, claim_value, stream_id) VALUES ${rowsSql} ON CONFLICT DO NOTHING
           RETURNING claim_scope, claim_value, stream_id)
         SELECT * FROM inserted
         UNION ALL
         SELECT claim_scope, claim_value, stream_id FROM ${table('unique_claims')}
          WHERE (claim_scope, claim_value) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        params,
      );
      const owners = new Map(rows.map((row) => [`${row.claim_scope}\0${row.claim_value}`, row.stream_id]));
      for (const { claim, index, streamId } of claims) {
        if (owners.get(`${claim.scope}\0${claim.value}`) !== streamId) lost.set(index, { status: 'claim-conflict', reason: claim.rejectionReason });
      }
      if (lost.size > 0) return lost;
    }
    for (const { request } of live) {
      for (const release of request.releases ?? []) {
        await client.query(`DELETE FROM ${table('unique_claims')} WHERE claim_scope = $1 AND claim_value = $2 AND stream_id = $3`, [
          release.scope,
          release.value,
          request.streamId,
        ]);
      }
    }

    // Events: a row that another transaction inserted first is not returned, so its request lost the race.
    const eventRows = writers
      .flatMap(({ request, index }) => request.events.map((event, offset) => ({ request, index, event, version: request.expectedVersion + offset + 1 })))
      .sort((a, b) => (a.request.streamId === b.request.streamId ? a.version - b.version : a.request.streamId < b.request.streamId ? -1 : 1));
    if (eventRows.length > 0) {
      const { sql, params } = valuesOf(
        eventRows.map(({ request, event, version }) => [request.streamId, version, request.streamType, event.type, event.schemaVersion, event.data, request.metadata]),
      );
      const { rows } = await client.query(
        `INSERT INTO ${table('events')} (stream_id, version, stream_type, event_type, schema_version, data, metadata)
         VALUES ${sql} ON CONFLICT DO NOTHING RETURNING *`,
        params,
      );
      const inserted = new Map(rows.map((row) => [`${row.stream_id}\0${row.version}`, tables.toRecorded(row)]));
      const racedStreams = new Set<string>();
      for (const { request, version } of eventRows) if (!inserted.has(`${request.streamId}\0${version}`)) racedStreams.add(request.streamId);
      // Every writer of a stream that lost a row loses: the later ones were decided on the earlier one's events.
      for (const { request, index } of writers) if (racedStreams.has(request.streamId)) lost.set(index, { status: 'wrong-version' });
      if (lost.size > 0) return lost;
      for (const item of writers) {
        item.recorded = item.request.events.map((_, offset) => inserted.get(`${item.request.streamId}\0${item.request.expectedVersion + offset + 1}`)!);
      }
    }

    // Idempotency by command id, the outbox and its wake-up, in one statement: a duplicate found here
    // rolls the round back, outbox rows included. Each request's events, then its result, in request
    // order (per-key order is kept); the trace is the batch's (the caller's active span).
    const commanded = live.filter(({ request }) => request.command);
    const trace = traceHeaders();
    const outbox = live.flatMap((item) => [
      ...(item.recorded ?? []).map((event) => [tables.options.eventsTopic, item.request.streamId, event, { 'message-kind': 'event', ...trace }]),
      ...(item.request.command
        ? [[tables.options.eventsTopic, item.request.streamId, resultOf(tables.options, item.request), { 'message-kind': 'command-result', ...trace }]]
        : []),
    ]);
    const params: unknown[] = [];
    const parts = options.alongside ? await options.alongside(client, live.flatMap((item) => item.recorded ?? []), params) : undefined;
    if (commanded.length === 0 && outbox.length === 0 && !parts?.writes.length && !parts?.selects.length) return lost;
    const ctes: string[] = parts ? partCtes(parts) : [];
    if (commanded.length > 0) {
      const rows = valuesInto(
        params,
        commanded.map(({ request }) => {
          const command = request.command!;
          return [command.commandId, command.commandType, request.streamId, command.status, command.reason ?? null, command.result ?? null];
        }),
      );
      ctes.push(`recorded AS (INSERT INTO ${table('processed_commands')} (command_id, command_type, stream_id, status, reason, result)
         VALUES ${rows} ON CONFLICT DO NOTHING RETURNING command_id)`);
    }
    if (outbox.length > 0) ctes.push(`queued AS (INSERT INTO ${table('outbox')} (topic, message_key, payload, headers) VALUES ${valuesInto(params, outbox)})`);
    const ids = commanded.length > 0 ? 'array(SELECT command_id FROM recorded)' : `'{}'::text[]`;
    const notify = outbox.length > 0 ? `, pg_notify($${params.push(tables.notifyChannel)}, '')` : '';
    const selects = parts?.selects.length ? `, ${parts.selects.join(', ')}` : '';
    const { rows } = await client.query<{ ids: string[] }>(`${ctes.length > 0 ? `WITH ${ctes.join(', ')} ` : ''}SELECT ${ids} AS ids${notify}${selects}`, params);
    const recorded = new Set(rows[0].ids);
    // Two requests of one batch with the same command id: the first one counts.
    const seen = new Set<string>();
    for (const { request, index } of commanded) {
      const id = request.command!.commandId;
      if (!recorded.has(id) || seen.has(id)) lost.set(index, { status: 'duplicate' });
      seen.add(id);
    }
    return lost;
  }
}

const resultOf = (options: EventStoreOptions, request: AppendRequest): CommandResult => ({
  kind: 'command-result',
  context: options.context,
  streamId: request.streamId,
  ...request.command!,
});

/**
 * A batch that writes only new streams (or streams whose versions come from the store) and releases no
 * claim: the usual batch of commands that create something (a grant, an application, a profile) and of
 * sign-ins. It is tried as one statement before the rounds.
 */
const fitsOneStatement = (requests: AppendRequest[], options: AppendBatchOptions): boolean =>
  (!options.inTransaction || options.alongside !== undefined) &&
  requests.some((request) => request.events.length > 0 || request.command) &&
  requests.every((request) => (request.expectedVersion === 0 || options.versionsFromStore) && !request.releases?.length);

/**
 * The whole batch in one statement, so in one implicit transaction and one round trip: the events, the
 * unique claims, the command records, the outbox rows (each request's events, completed with the
 * positions the insert gave them, then its result) and the `alongside` writes. Nothing in it resolves a
 * conflict: a stream that exists after all (or a newer version of it), a taken claim or a command
 * already processed fails the whole statement on a unique index, and the caller falls back to the
 * rounds, which tell each request's fate.
 */
async function appendInOneStatement(client: PoolClient, tables: BatchTables, requests: AppendRequest[], options: AppendBatchOptions): Promise<BatchAppendResult[]> {
  const { table } = tables;
  const written = requests.map((request) =>
    request.events.map((event, offset) => {
      const row = {
        stream_id: request.streamId,
        version: request.expectedVersion + offset + 1,
        stream_type: request.streamType,
        event_type: event.type,
        schema_version: event.schemaVersion,
        data: event.data,
        metadata: request.metadata,
      };
      const { globalPosition: _unknownYet, ...pending } = tables.toRecorded({ ...row, global_position: '0', transaction_id: '0' });
      return { row, pending };
    }),
  );
  const rows = written.flat();
  // Each request's events, then its result: per key, a result follows its events.
  const messages = requests.flatMap((request, index) => [
    ...written[index].map(({ pending }) => ({ kind: 'event', payload: pending })),
    ...(request.command ? [{ kind: 'command-result', payload: resultOf(tables.options, request) }] : []),
  ]);
  const claims = requests
    .flatMap((request) => (request.claims ?? []).map((claim) => ({ scope: claim.scope, value: claim.value, streamId: request.streamId })))
    .sort((a, b) => (a.scope + '\0' + a.value < b.scope + '\0' + b.value ? -1 : 1));
  const commands = requests.flatMap((request) => {
    const command = request.command;
    return command ? [{ commandId: command.commandId, commandType: command.commandType, streamId: request.streamId, status: command.status, reason: command.reason ?? null, result: command.result ?? null }] : [];
  });
  const params: unknown[] = [];
  const $ = (value: unknown) => `$${params.push(value)}`;
  // Rows in JSON parameters: a statement whose text does not grow with the batch is prepared once per
  // connection, and one JSON.stringify is cheaper than quoting each value into an array.
  const ctes = [
    `inserted AS (
       INSERT INTO ${table('events')} (stream_id, version, stream_type, event_type, schema_version, data, metadata)
       SELECT r->>'stream_id', (r->>'version')::int, r->>'stream_type', r->>'event_type', (r->>'schema_version')::int, r->'data', r->'metadata'
         FROM jsonb_array_elements(${$(JSON.stringify(rows.map(({ row }) => row)))}::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n
       RETURNING stream_id, version, global_position, transaction_id)`,
    `queued AS (
       INSERT INTO ${table('outbox')} (topic, message_key, payload, headers)
       SELECT ${$(tables.options.eventsTopic)}, m->'payload'->>'streamId',
              CASE WHEN i.stream_id IS NULL THEN m->'payload'
                   ELSE m->'payload' || jsonb_build_object('globalPosition', jsonb_build_object('transactionId', i.transaction_id::text, 'position', i.global_position::text)) END,
              ${$(traceHeaders())}::jsonb || jsonb_build_object('message-kind', m->>'kind')
         FROM jsonb_array_elements(${$(JSON.stringify(messages))}::jsonb) WITH ORDINALITY AS t(m, n)
         LEFT JOIN inserted i ON m->>'kind' = 'event' AND i.stream_id = m->'payload'->>'streamId' AND i.version = (m->'payload'->>'version')::int
        ORDER BY n)`,
    ...(claims.length > 0
      ? [`claimed AS (
       INSERT INTO ${table('unique_claims')} (claim_scope, claim_value, stream_id)
       SELECT c->>'scope', c->>'value', c->>'streamId' FROM jsonb_array_elements(${$(JSON.stringify(claims))}::jsonb) AS t(c))`]
      : []),
    ...(commands.length > 0
      ? [`recorded AS (
       INSERT INTO ${table('processed_commands')} (command_id, command_type, stream_id, status, reason, result)
       SELECT c->>'commandId', c->>'commandType', c->>'streamId', c->>'status', c->>'reason', NULLIF(c->'result', 'null'::jsonb)
         FROM jsonb_array_elements(${$(JSON.stringify(commands))}::jsonb) AS t(c))`]
      : []),
  ];
  const parts = options.alongside ? await options.alongside(client, rows.map(({ pending }) => pending), params) : undefined;
  if (options.alongside && !parts) throw NEEDS_ROUNDS;
  if (parts) ctes.push(...partCtes(parts));
  const text = `WITH ${ctes.join(',\n     ')}
     SELECT (SELECT coalesce(jsonb_agg(jsonb_build_array(stream_id, version, global_position::text, transaction_id::text)), '[]') FROM inserted) AS positions,
            pg_notify(${$(tables.notifyChannel)}, '')${parts?.selects.length ? `, ${parts.selects.join(', ')}` : ''}`;
  const { rows: result } = await client.query<{ positions: [string, number, string, string][] }>({
    name: `one-statement-${createHash('sha1').update(text).digest('base64url')}`,
    text,
    values: params,
  });
  const positionOf = new Map(result[0].positions.map(([streamId, version, position, transactionId]) => [`${streamId}\0${version}`, { transactionId, position }]));
  return written.map((events) => ({
    status: 'appended',
    events: events.map(({ pending }) => ({ ...pending, globalPosition: positionOf.get(`${pending.streamId}\0${pending.version}`)! })),
  }));
}
