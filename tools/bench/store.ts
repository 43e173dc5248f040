import { Pool } from 'pg';
import type { Platform } from './platform';

/**
 * Grows the token context's event store to `total` events with one INSERT … SELECT generate_series:
 * one-event grant streams shaped like a client_credentials AccessTokenIssued, so indexes and pages
 * grow as they would in use. Returns how many rows were added.
 */
export async function seedTokenEvents(platform: Platform, total: number): Promise<{ added: number; ms: number }> {
  const pool = new Pool({ connectionString: platform.databaseUrl, max: 1 });
  const table = `"${platform.schemaPrefix}token".events`;
  const started = performance.now();
  try {
    const { rows } = await pool.query(`SELECT count(*)::bigint AS n FROM ${table}`);
    const missing = total - Number(rows[0].n);
    if (missing <= 0) return { added: 0, ms: 0 };
    await pool.query(
      `INSERT INTO ${table} (stream_id, version, stream_type, event_type, schema_version, data, metadata)
       SELECT 'grant-' || ids.grant_id, 1, 'grant', 'AccessTokenIssued', 1,
              jsonb_build_object('grantId', ids.grant_id, 'applicationId', ids.application_id, 'clientId', 'bench-seed-client',
                'profileId', null, 'accessTokenId', gen_random_uuid(), 'scopes', '["profile:read"]'::jsonb,
                'issuedAt', now(), 'expiresAt', now() + interval '15 minutes', 'via', 'client_credentials'),
              jsonb_build_object('commandId', ids.grant_id, 'correlationId', ids.grant_id, 'causationId', ids.grant_id,
                'actor', jsonb_build_object('applicationId', ids.application_id), 'occurredAt', now())
         FROM (SELECT gen_random_uuid()::text AS grant_id, gen_random_uuid()::text AS application_id
                 FROM generate_series(1, $1::int)) AS ids`,
      [missing],
    );
    // Leave no autovacuum or checkpoint debt to land inside the measured runs.
    await pool.query(`VACUUM (ANALYZE) ${table}`);
    await pool.query('CHECKPOINT').catch(() => undefined);
    return { added: missing, ms: performance.now() - started };
  } finally {
    await pool.end();
  }
}
