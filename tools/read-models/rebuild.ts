import 'reflect-metadata';
import { Pool } from 'pg';
import { loadConfig, schemaName } from '@platform/config';
import { CONTEXTS } from '@platform/contracts';
import { PostgresEventStore } from '@platform/event-store';
import { GATEWAY_PROJECTIONS } from '@platform/gateway';
import { Projector } from '@platform/projector';
import { migratePlatform } from '../migrate/platform-schemas';

/**
 * `npm run rebuild-read-models`: truncates the gateway's read models and replays every committed
 * event of every context, in one transaction (live consumers wait on its locks, then skip what it
 * applied). Command statuses, signing keys and the call log are not read models and are kept.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
  const pool = new Pool({ connectionString: config.databaseUrl, max: 2 });
  try {
    await migratePlatform(config.databaseUrl);
    const projector = new Projector(pool, schemaName('gateway'), GATEWAY_PROJECTIONS);
    const sources = CONTEXTS.map((context) => new PostgresEventStore(pool, { schema: schemaName(context), context, eventsTopic: '' }));
    const started = Date.now();
    const replayed = await projector.rebuild(sources);
    console.log(`rebuilt ${GATEWAY_PROJECTIONS.map((p) => p.name).join(', ')} from ${replayed} events in ${Date.now() - started} ms`);
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
