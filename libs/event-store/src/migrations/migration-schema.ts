import type { MigrationInterface, QueryRunner } from 'typeorm';

export type MigrationClass = new () => MigrationInterface;

/**
 * The quoted schema a migration applies to: the DataSource's `schema`, so one migration class serves
 * every schema (context stores, the gateway, and the prefixed schemas of test runs).
 */
export const migrationSchema = (queryRunner: QueryRunner): string => {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  if (!schema || !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return `"${schema}"`;
};

/** Migrations are forward-only: a release that needs to undo one ships a new migration. */
export const forwardOnly = (name: string): Promise<void> => Promise.reject(new Error(`${name} is forward-only`));
