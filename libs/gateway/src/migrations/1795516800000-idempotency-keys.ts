import type { MigrationInterface, QueryRunner } from 'typeorm';
import { forwardOnly, migrationSchema } from '@platform/event-store';

/** Idempotency-Key records (DESIGN §9): the first answer of a write, replayed for 24 h. */
export class IdempotencyKeys1795516800000 implements MigrationInterface {
  name = 'IdempotencyKeys1795516800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = migrationSchema(queryRunner);
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS ${s}.idempotency_keys (
      scope text NOT NULL,
      idempotency_key text NOT NULL,
      fingerprint text NOT NULL,
      state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
      locked_until timestamptz NOT NULL,
      response_status integer,
      response_headers jsonb,
      response_body text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (scope, idempotency_key))`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS idempotency_keys_expires_at ON ${s}.idempotency_keys (expires_at)`);
  }

  down(): Promise<void> {
    return forwardOnly(this.name);
  }
}
