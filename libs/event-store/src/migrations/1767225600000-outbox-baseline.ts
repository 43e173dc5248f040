import type { MigrationInterface, QueryRunner } from 'typeorm';
import { forwardOnly, migrationSchema } from './migration-schema';

/** Baseline: the outbox as the pre-migration code created it (IF NOT EXISTS: an existing schema is accepted). */
export class OutboxBaseline1767225600000 implements MigrationInterface {
  name = 'OutboxBaseline1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = migrationSchema(queryRunner);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS ${schema}.outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        topic text NOT NULL,
        message_key text NOT NULL,
        payload jsonb NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  down(): Promise<void> {
    return forwardOnly(this.name);
  }
}
