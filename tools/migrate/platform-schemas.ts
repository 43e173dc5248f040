import { schemaName } from '@platform/config';
import { CONTEXTS } from '@platform/contracts';
import { EVENT_STORE_MIGRATIONS, type MigrationClass, migrateSchema } from '@platform/event-store';
import { GATEWAY_MIGRATIONS } from '@platform/gateway';

/** Every schema of the platform (honouring DB_SCHEMA_PREFIX) with the migrations that own it. */
export const platformSchemas = (): { schema: string; migrations: readonly MigrationClass[] }[] => [
  ...CONTEXTS.map((context) => ({ schema: schemaName(context), migrations: EVENT_STORE_MIGRATIONS })),
  { schema: schemaName('gateway'), migrations: GATEWAY_MIGRATIONS },
];

/** Runs the pending migrations of every schema; returns what each applied. */
export async function migratePlatform(databaseUrl: string): Promise<{ schema: string; applied: string[] }[]> {
  const results = [];
  for (const { schema, migrations } of platformSchemas()) {
    results.push({ schema, applied: await migrateSchema({ databaseUrl, schema, migrations }) });
  }
  return results;
}
