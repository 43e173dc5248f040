import 'reflect-metadata';
import { loadConfig } from '@platform/config';
import { migratePlatform } from './platform-schemas';

/**
 * `npm run migrate`: runs the pending migrations of every schema (each context's store and the
 * gateway's), the same ones every service runs at start under the same advisory locks.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  for (const { schema, applied } of await migratePlatform(config.databaseUrl)) {
    console.log(`${schema}: ${applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
