import type { MigrationInterface, QueryRunner } from 'typeorm';
import { forwardOnly, migrationSchema } from './migration-schema';

/**
 * Baseline: one context's store as the pre-migration code created it (IF NOT EXISTS: an existing
 * schema is accepted). `transaction_id` orders events in commit-safe order.
 */
export class EventStoreBaseline1767225600001 implements MigrationInterface {
  name = 'EventStoreBaseline1767225600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = migrationSchema(queryRunner);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS ${schema}.events (
        stream_id text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        stream_type text NOT NULL,
        global_position bigint GENERATED ALWAYS AS IDENTITY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        event_type text NOT NULL,
        schema_version integer NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (stream_id, version)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX IF NOT EXISTS events_commit_order ON ${schema}.events (transaction_id, global_position)`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS ${schema}.unique_claims (
        claim_scope text NOT NULL,
        claim_value text NOT NULL,
        stream_id text NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (claim_scope, claim_value)
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS ${schema}.processed_commands (
        command_id text PRIMARY KEY,
        command_type text NOT NULL,
        stream_id text NOT NULL,
        status text NOT NULL,
        reason text,
        result jsonb,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  down(): Promise<void> {
    return forwardOnly(this.name);
  }
}
