import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { DataSource, Repository } from 'typeorm';
import { type Actor, type BoundedContext, COMMAND_SUCCEEDED_BODY, type CommandResult, type CommandStatus } from '@platform/contracts';
import { gatewayCommandDuration } from '@platform/observability';
import { GATEWAY_DATA_SOURCE } from '../database/gateway-data-source';
import { CommandStatusEntity, type CommandStatusRecord } from '../database/entities';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { CHANNELS } from './pg-notifications';

export interface CommandStatusRow {
  commandId: string;
  context: BoundedContext;
  commandType: string;
  profileId: string | null;
  status: CommandStatus;
  reason: string | null;
  result: Record<string, unknown> | null;
}


export interface StartedCommand {
  commandId: string;
  context: BoundedContext;
  commandType: string;
  actor: Actor;
}

export interface CommandPush {
  profileId: string | null;
  commandId: string;
  status: CommandStatus;
  body: string;
}

const pushPayload = (profileId: string | null, commandId: string, status: CommandStatus, body: string): string =>
  JSON.stringify({ profileId, commandId, status, body } satisfies CommandPush);

/** Command statuses live in PostgreSQL, so every gateway replica answers a poll the same way. */
@Injectable()
export class CommandStatusRepository {
  private readonly statuses: Repository<CommandStatusRecord>;

  constructor(
    @Inject(GATEWAY_DATA_SOURCE) dataSource: DataSource,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
  ) {
    this.statuses = dataSource.getRepository(CommandStatusEntity);
  }

  /**
   * Records `started` for many commands in one statement, with one `started` notification per command and
   * what `alongside` adds to the same statement (the command outbox's rows and wake-up).
   */
  async recordStartedMany(
    db: Pick<PoolClient, 'query'>,
    commands: readonly StartedCommand[],
    alongside: (params: unknown[]) => { cte: string; wakeUp: string },
  ): Promise<void> {
    if (commands.length === 0) return;
    const params: unknown[] = [
      commands.map((c) => c.commandId),
      commands.map((c) => c.context),
      commands.map((c) => c.commandType),
      commands.map((c) => c.actor.profileId ?? null),
      CHANNELS.commandEvents,
    ];
    const part = alongside(params);
    await db.query(
      `WITH started AS (
         INSERT INTO "${this.schema}".command_status (command_id, context, command_type, profile_id, status)
         SELECT id, context, type, profile, 'started' FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(id, context, type, profile)
         RETURNING command_id, profile_id), ${part.cte}
       SELECT (SELECT count(pg_notify($5, json_build_object('profileId', profile_id, 'commandId', command_id, 'status', 'started', 'body', 'Command started')::text))
                 FROM started) AS notified, ${part.wakeUp}`,
      params,
    );
  }

  /** Terminal statuses are final: a redelivered result changes nothing. Notifies waiting replicas. */
  async complete(client: PoolClient, result: CommandResult): Promise<boolean> {
    const { rows } = await client.query(
      `UPDATE "${this.schema}".command_status
          SET status = $2, reason = $3, result = $4, completed_at = now()
        WHERE command_id = $1 AND status = 'started'
        RETURNING profile_id, context, command_type, EXTRACT(EPOCH FROM completed_at - created_at)::float8 AS seconds`,
      [result.commandId, result.status, result.reason ?? null, result.result ?? null],
    );
    if (rows.length === 0) return false;
    gatewayCommandDuration.observe({ context: rows[0].context, type: rows[0].command_type, outcome: result.status }, rows[0].seconds);
    const body = result.status === 'succeeded' ? COMMAND_SUCCEEDED_BODY : (result.reason ?? 'rejected');
    await client.query(`SELECT pg_notify($1, $2), pg_notify($3, $4)`, [
      CHANNELS.commandEvents,
      pushPayload(rows[0].profile_id, result.commandId, result.status, body),
      CHANNELS.commandStatus,
      result.commandId,
    ]);
    return true;
  }

  /**
   * `complete` for a batch of results: one multi-row UPDATE, and the same notifications (one per command
   * made terminal) from the same statement. Returns how many commands became terminal.
   */
  /** `alongside` (a projector's checkpoint update) goes in the same statement as a CTE: one round trip. */
  async completeMany(client: PoolClient, results: readonly CommandResult[], alongside?: (params: unknown[]) => string | undefined): Promise<number> {
    if (results.length === 0) {
      const params: unknown[] = [];
      const cte = alongside?.(params);
      if (cte) await client.query(`WITH ${cte} SELECT 1`, params);
      return 0;
    }
    const params: unknown[] = [
      results.map((r) => r.commandId),
      results.map((r) => r.status),
      results.map((r) => r.reason ?? null),
      results.map((r) => (r.result === undefined || r.result === null ? null : JSON.stringify(r.result))),
      CHANNELS.commandEvents,
      CHANNELS.commandStatus,
      COMMAND_SUCCEEDED_BODY,
    ];
    const cte = alongside?.(params);
    const { rows } = await client.query<{ context: string; command_type: string; status: string; seconds: number }>(
      `WITH done AS (
         UPDATE "${this.schema}".command_status c
            SET status = t.status, reason = t.reason, result = t.result::jsonb, completed_at = now()
           FROM (SELECT DISTINCT ON (id) * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(id, status, reason, result)) t
          WHERE c.command_id = t.id AND c.status = 'started'
          RETURNING c.command_id, c.profile_id, c.status, c.reason, c.context, c.command_type,
                    EXTRACT(EPOCH FROM c.completed_at - c.created_at)::float8 AS seconds)${cte ? `, ${cte}` : ''}
       SELECT context, command_type, status, seconds,
              pg_notify($5, json_build_object('profileId', profile_id, 'commandId', command_id, 'status', status,
                'body', CASE WHEN status = 'succeeded' THEN $7 ELSE coalesce(reason, 'rejected') END)::text),
              pg_notify($6, command_id)
         FROM done`,
      params,
    );
    for (const row of rows) gatewayCommandDuration.observe({ context: row.context, type: row.command_type, outcome: row.status }, row.seconds);
    return rows.length;
  }

  async find(commandId: string): Promise<CommandStatusRow | undefined> {
    const row = await this.statuses.findOne({
      select: { commandId: true, context: true, commandType: true, profileId: true, status: true, reason: true, result: true },
      where: { commandId },
    });
    return row ?? undefined;
  }
}
