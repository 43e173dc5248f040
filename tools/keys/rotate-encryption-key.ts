import 'reflect-metadata';
import { Pool } from 'pg';
import { loadConfig, schemaName } from '@platform/config';
import { SigningKeys } from '@platform/gateway';
import { migratePlatform } from '../migrate/platform-schemas';

/**
 * `npm run rotate-encryption-key`: re-encrypts every stored private signing key with the first secret
 * of KEY_ENCRYPTION_SECRET (the others only decrypt). Rotate with KEY_ENCRYPTION_SECRET=new,old, run
 * this, then drop the old secret.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  await migratePlatform(config.databaseUrl);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 1 });
  try {
    const keys = new SigningKeys(pool, schemaName('gateway'), config);
    const changed = await keys.reencrypt();
    console.log(`re-encrypted ${changed} signing key(s) with the first KEY_ENCRYPTION_SECRET; the other secrets can now be removed`);
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
