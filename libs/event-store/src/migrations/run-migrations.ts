import { DataSource, type EntitySchema } from 'typeorm';
import type { MigrationClass } from './migration-schema';

export interface SchemaDatabaseOptions {
  databaseUrl: string;
  /** Every migration and entity of this DataSource applies to this schema; so does its `migrations` table. */
  schema: string;
  migrations: readonly MigrationClass[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entities?: readonly EntitySchema<any>[];
  poolSize?: number;
}

/** A TypeORM DataSource on the same database as the service's `pg` pool, bound to one schema. */
export const schemaDataSource = (options: SchemaDatabaseOptions): DataSource =>
  new DataSource({
    type: 'postgres',
    url: options.databaseUrl,
    schema: options.schema,
    entities: [...(options.entities ?? [])],
    migrations: [...options.migrations],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    poolSize: options.poolSize ?? 2,
    logging: false,
  });

/**
 * Runs the pending migrations of the DataSource's schema, each in its own transaction. Replicas and
 * services start at once: a session advisory lock per schema lets one process migrate while the
 * others wait, then find nothing pending. Returns the names of the migrations this call applied.
 */
export async function runPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const schema = (dataSource.options as { schema: string }).schema;
  const lockKey = `platform-migrations:${schema}`;
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    try {
      await lock.createSchema(schema, true);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  } finally {
    await lock.release();
  }
}

/** Opens a short-lived DataSource, migrates its schema, and closes it. */
export async function migrateSchema(options: SchemaDatabaseOptions): Promise<string[]> {
  const dataSource = await schemaDataSource({ ...options, entities: [] }).initialize();
  try {
    return await runPendingMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
