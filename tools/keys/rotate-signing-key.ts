import 'reflect-metadata';
import { Pool } from 'pg';
import { loadConfig, schemaName } from '@platform/config';
import { SigningKeys } from '@platform/gateway';
import { migratePlatform } from '../migrate/platform-schemas';

/**
 * `npm run rotate-signing-key`: adds a new access-token signing key; the previous one stays in the
 * JWKS (and verifying) for the overlap. Replicas pick the new key up within 30 s, or at once on a kid
 * they do not know.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  await migratePlatform(config.databaseUrl);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 1 });
  try {
    const keys = new SigningKeys(pool, schemaName('gateway'), config);
    await keys.onApplicationBootstrap();
    const kid = await keys.rotate();
    keys.onApplicationShutdown();
    console.log(`new signing key ${kid}; published keys: ${keys.jwks().keys.map((key) => key.kid).join(', ')}`);
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
