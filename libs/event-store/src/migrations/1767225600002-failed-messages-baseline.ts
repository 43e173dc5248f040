import type { MigrationInterface, QueryRunner } from 'typeorm';
import { forwardOnly, migrationSchema } from './migration-schema';

/**
 * Baseline: the messages a consumer parked after its retries (`failed_messages`, in the consuming
 * schema), as the pre-migration code created them (IF NOT EXISTS: an existing schema is accepted).
 */
export class FailedMessagesBaseline1767225600002 implements MigrationInterface {
  name = 'FailedMessagesBaseline1767225600002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = migrationSchema(queryRunner);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS ${schema}.failed_messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        consumer text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        message_offset text NOT NULL,
        message_key text NOT NULL,
        payload jsonb,
        headers jsonb NOT NULL DEFAULT '{}',
        error text NOT NULL,
        attempts integer NOT NULL,
        held_behind bigint,
        failed_at timestamptz NOT NULL DEFAULT now(),
        replay_requested_at timestamptz,
        resolved_at timestamptz)`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS failed_messages_pending ON ${schema}.failed_messages (consumer, message_key, id) WHERE resolved_at IS NULL`);
  }

  down(): Promise<void> {
    return forwardOnly(this.name);
  }
}
