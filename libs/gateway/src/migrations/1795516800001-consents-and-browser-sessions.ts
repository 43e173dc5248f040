import type { MigrationInterface, QueryRunner } from 'typeorm';
import { forwardOnly, migrationSchema } from '@platform/event-store';

/** Issue 11: a grant's times and resource-owner index, remembered consents, browser sessions of /oauth/authorize and /account. */
export class ConsentsAndBrowserSessions1795516800001 implements MigrationInterface {
  name = 'ConsentsAndBrowserSessions1795516800001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = migrationSchema(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.grants ADD COLUMN IF NOT EXISTS granted_at timestamptz, ADD COLUMN IF NOT EXISTS expires_at timestamptz`);
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS grants_resource_owner ON ${s}.grants (profile_id) WHERE profile_id IS NOT NULL`);
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS ${s}.consents (
      profile_id text NOT NULL,
      application_id text NOT NULL,
      scopes jsonb NOT NULL,
      granted_at timestamptz NOT NULL,
      PRIMARY KEY (profile_id, application_id))`);
    await queryRunner.query(`CREATE TABLE IF NOT EXISTS ${s}.browser_sessions (
      cookie_hash text PRIMARY KEY, profile_id text, username text,
      created_at timestamptz NOT NULL DEFAULT now(), expires_at timestamptz NOT NULL)`);
  }

  down(): Promise<void> {
    return forwardOnly(this.name);
  }
}
