import type { MigrationInterface, QueryRunner } from 'typeorm';
import { forwardOnly, migrationSchema } from '@platform/event-store';

/**
 * Baseline: the gateway's read models and tables as the pre-migration code created them (IF NOT
 * EXISTS, in this migration only, so a database that code created is accepted as it is).
 */
export class GatewayBaseline1767225600100 implements MigrationInterface {
  name = 'GatewayBaseline1767225600100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = migrationSchema(queryRunner);
    const statements = [
      `CREATE TABLE IF NOT EXISTS ${s}.projection_checkpoints (
         projection text NOT NULL, stream_id text NOT NULL, version integer NOT NULL,
         PRIMARY KEY (projection, stream_id))`,
      `CREATE TABLE IF NOT EXISTS ${s}.profile_credentials (
        profile_id text PRIMARY KEY,
        username text NOT NULL,
        username_key text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        registered_at timestamptz NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS ${s}.authorization_tokens (
        token_hash text PRIMARY KEY,
        token_id text NOT NULL UNIQUE,
        profile_id text NOT NULL,
        issued_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`,
      `CREATE INDEX IF NOT EXISTS authorization_tokens_profile ON ${s}.authorization_tokens (profile_id)`,
      `CREATE TABLE IF NOT EXISTS ${s}.qr_tokens (
        qr_token_hash text PRIMARY KEY,
        qr_token_id text NOT NULL UNIQUE,
        profile_id text NOT NULL,
        expires_at timestamptz NOT NULL,
        redeemed_at timestamptz
      )`,
      `ALTER TABLE ${s}.qr_tokens
        ADD COLUMN IF NOT EXISTS issued_at timestamptz,
        ADD COLUMN IF NOT EXISTS authorization_token_id text,
        ADD COLUMN IF NOT EXISTS revoked_at timestamptz`,
      `CREATE INDEX IF NOT EXISTS qr_tokens_profile ON ${s}.qr_tokens (profile_id)`,
      `CREATE TABLE IF NOT EXISTS ${s}.oauth_applications (
        application_id text PRIMARY KEY,
        profile_id text NOT NULL,
        name text NOT NULL,
        client_id text NOT NULL UNIQUE,
        client_type text NOT NULL,
        redirect_uris jsonb NOT NULL,
        scopes jsonb NOT NULL,
        status text NOT NULL,
        client_secret_hash text,
        credentials_revealed boolean NOT NULL,
        access_token_ttl_seconds integer NOT NULL,
        refresh_token_ttl_seconds integer NOT NULL,
        created_at timestamptz NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS oauth_applications_profile ON ${s}.oauth_applications (profile_id, created_at)`,
      `ALTER TABLE ${s}.oauth_applications ADD COLUMN IF NOT EXISTS previous_secret_hash text,
        ADD COLUMN IF NOT EXISTS previous_secret_expires_at timestamptz`,
      `CREATE TABLE IF NOT EXISTS ${s}.grants (
        grant_id text PRIMARY KEY,
        application_id text NOT NULL,
        client_id text NOT NULL,
        profile_id text,
        scopes jsonb NOT NULL,
        nonce_hash text,
        status text NOT NULL,
        code_expires_at timestamptz
      )`,
      `CREATE INDEX IF NOT EXISTS grants_application ON ${s}.grants (application_id)`,
      `CREATE TABLE IF NOT EXISTS ${s}.grant_secrets (
        secret_hash text PRIMARY KEY,
        grant_id text NOT NULL,
        kind text NOT NULL,
        expires_at timestamptz NOT NULL,
        retired boolean NOT NULL DEFAULT false
      )`,
      `CREATE INDEX IF NOT EXISTS grant_secrets_by_grant ON ${s}.grant_secrets (grant_id)`,
      `CREATE SEQUENCE IF NOT EXISTS ${s}.audit_seq`,
      `CREATE TABLE IF NOT EXISTS ${s}.application_usage (
        application_id text PRIMARY KEY,
        tokens_issued integer NOT NULL DEFAULT 0,
        tokens_refreshed integer NOT NULL DEFAULT 0,
        tokens_revoked integer NOT NULL DEFAULT 0
      )`,
      `CREATE TABLE IF NOT EXISTS ${s}.application_changes (
        id bigint PRIMARY KEY DEFAULT nextval('${s}.audit_seq'),
        application_id text NOT NULL,
        at timestamptz NOT NULL,
        entry jsonb NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS application_changes_by_app ON ${s}.application_changes (application_id, at, id)`,
      `CREATE TABLE IF NOT EXISTS ${s}.application_calls (
        id bigint PRIMARY KEY DEFAULT nextval('${s}.audit_seq'),
        application_id text NOT NULL,
        at timestamptz NOT NULL,
        entry jsonb NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS application_calls_by_app ON ${s}.application_calls (application_id, at, id)`,
      `CREATE TABLE IF NOT EXISTS ${s}.command_status (
        command_id text PRIMARY KEY,
        context text NOT NULL,
        command_type text NOT NULL,
        profile_id text,
        status text NOT NULL,
        reason text,
        result jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`,
      `CREATE TABLE IF NOT EXISTS ${s}.signing_keys (
        kid text PRIMARY KEY, private_jwk jsonb, public_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(), retired_at timestamptz)`,
      // private_jwk held the plain-text key before encryption at rest; the gateway empties it at start.
      `ALTER TABLE ${s}.signing_keys
        ADD COLUMN IF NOT EXISTS private_jwe text, ADD COLUMN IF NOT EXISTS encryption_key_id text, ALTER COLUMN private_jwk DROP NOT NULL`,
      // rate-limiter-flexible's own shape (RateLimiterPostgres with tableCreated: true).
      `CREATE TABLE IF NOT EXISTS ${s}.rate_limits (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`,
      `CREATE TABLE IF NOT EXISTS ${s}.authorization_requests (
        id text PRIMARY KEY, params jsonb NOT NULL, cookie_hash text NOT NULL, csrf_hash text NOT NULL,
        profile_id text, username text, created_at timestamptz NOT NULL DEFAULT now(), used_at timestamptz)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  down(): Promise<void> {
    return forwardOnly(this.name);
  }
}
