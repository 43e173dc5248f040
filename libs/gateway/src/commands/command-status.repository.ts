import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { Actor, BoundedContext, CommandResult, CommandStatus } from '@platform/contracts';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';

export interface CommandStatusRow {
  commandId: string;
  context: BoundedContext;
  commandType: string;
  profileId: string | null;
  status: CommandStatus;
  reason: string | null;
  result: Record<string, unknown> | null;
}

export const COMMAND_STATUS_CHANNEL = 'command_status';

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

  async recordStarted(commandId: string, context: BoundedContext, commandType: string, actor: Actor): Promise<void> {
    await this.pool.query(
      `INSERT INTO "${this.schema}".command_status (command_id, context, command_type, profile_id, status)
       VALUES ($1, $2, $3, $4, 'started')`,
      [commandId, context, commandType, actor.profileId ?? null],
    );
  }

  /** Terminal statuses are final: a redelivered result changes nothing. Notifies waiting replicas. */
  async complete(client: PoolClient, result: CommandResult): Promise<boolean> {
    const { rowCount } = await client.query(
      `UPDATE "${this.schema}".command_status
          SET status = $2, reason = $3, result = $4, completed_at = now()
        WHERE command_id = $1 AND status = 'started'`,
      [result.commandId, result.status, result.reason ?? null, result.result ?? null],
    );
    if (rowCount) await client.query(`SELECT pg_notify($1, $2)`, [COMMAND_STATUS_CHANNEL, result.commandId]);
    return (rowCount ?? 0) > 0;
  }

  async markDispatchFailed(commandId: string, reason: string): Promise<void> {
    await this.pool.query(
      `UPDATE "${this.schema}".command_status SET status = 'rejected', reason = $2, completed_at = now()
        WHERE command_id = $1 AND status = 'started'`,
      [commandId, reason],
    );
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
