import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { type Actor, type BoundedContext, COMMAND_SUCCEEDED_BODY, type CommandResult, type CommandStatus } from '@platform/contracts';
import { gatewayCommandDuration } from '@platform/observability';
import { PG_POOL } from '@platform/service-runtime';
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
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
  ) {}

  ddl(): string {
    return `
      CREATE TABLE IF NOT EXISTS "${this.schema}".command_status (
        command_id text PRIMARY KEY,
        context text NOT NULL,
        command_type text NOT NULL,
        profile_id text,
        status text NOT NULL,
        reason text,
        result jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`;
  }

  async recordStarted(client: PoolClient, commandId: string, context: BoundedContext, commandType: string, actor: Actor): Promise<void> {
    await client.query(
      `WITH started AS (
         INSERT INTO "${this.schema}".command_status (command_id, context, command_type, profile_id, status)
         VALUES ($1, $2, $3, $4, 'started') RETURNING command_id)
       SELECT pg_notify($5, $6) FROM started`,
      [commandId, context, commandType, actor.profileId ?? null, CHANNELS.commandEvents, pushPayload(actor.profileId ?? null, commandId, 'started', 'Command started')],
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

  async find(commandId: string): Promise<CommandStatusRow | undefined> {
    const { rows } = await this.pool.query(`SELECT * FROM "${this.schema}".command_status WHERE command_id = $1`, [commandId]);
    if (rows.length === 0) return undefined;
    const row = rows[0];
    return {
      commandId: row.command_id,
      context: row.context,
      commandType: row.command_type,
      profileId: row.profile_id,
      status: row.status,
      reason: row.reason,
      result: row.result,
    };
  }
}
