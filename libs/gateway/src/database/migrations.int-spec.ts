import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { EVENT_STORE_MIGRATIONS, type MigrationClass, migrateSchema, schemaDataSource } from '@platform/event-store';
import { uniqueName } from '@platform/testing';
import { GATEWAY_MIGRATIONS } from '../migrations';
import { GatewayBaseline1767225600100 } from '../migrations/1767225600100-gateway-baseline';
import { gatewayDataSource } from './gateway-data-source';

const databaseUrl = process.env.DATABASE_URL!;

const STORE_TABLES = ['events', 'failed_messages', 'migrations', 'outbox', 'processed_commands', 'unique_claims'];
const GATEWAY_TABLES = [
  'application_calls', 'application_changes', 'application_usage', 'authorization_requests', 'authorization_tokens', 'browser_sessions', 'command_status', 'consents',
  'failed_messages', 'grant_secrets', 'grants', 'idempotency_keys', 'migrations', 'oauth_applications', 'outbox', 'profile_credentials', 'projection_checkpoints', 'qr_tokens',
  'rate_limits', 'signing_keys',
];
const names = (migrations: readonly MigrationClass[]) => migrations.map((migration) => new migration().name);
/** The gateway's tables before migrations existed: up to the baseline (later migrations add tables that code never made). */
const PRE_MIGRATION_GATEWAY = GATEWAY_MIGRATIONS.slice(0, GATEWAY_MIGRATIONS.indexOf(GatewayBaseline1767225600100) + 1);

/** What the code before migrations left behind: the baseline's tables, and no migrations table. */
async function createdByPreviousCode(schema: string, migrations: readonly MigrationClass[]): Promise<void> {
  const dataSource = await new DataSource({ ...schemaDataSource({ databaseUrl, schema, migrations: [] }).options } as never).initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.createSchema(schema, true);
    for (const migration of migrations) await new migration().up(runner);
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}

describe('schema migrations (real PostgreSQL)', () => {
  const prefix = uniqueName('mig');
  let pool: Pool;
  const schemas: string[] = [];
  const schema = (name: string) => {
    schemas.push(`${prefix}_${name}`);
    return `${prefix}_${name}`;
  };

  beforeAll(() => {
    pool = new Pool({ connectionString: databaseUrl, max: 4 });
  });

  afterAll(async () => {
    for (const name of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await pool.end();
  });

  const tables = async (name: string) =>
    (await pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [name])).rows.map((row) => row.table_name);
  const recorded = async (name: string) => (await pool.query(`SELECT name FROM "${name}".migrations ORDER BY id`)).rows.map((row) => row.name);

  it('migrates a fresh schema to every table, and a second run applies nothing', async () => {
    const store = schema('store');
    const gateway = schema('gateway');
    expect(await migrateSchema({ databaseUrl, schema: store, migrations: EVENT_STORE_MIGRATIONS })).toEqual(names(EVENT_STORE_MIGRATIONS));
    expect(await migrateSchema({ databaseUrl, schema: gateway, migrations: GATEWAY_MIGRATIONS })).toEqual(names(GATEWAY_MIGRATIONS));
    expect(await tables(store)).toEqual(STORE_TABLES);
    expect(await tables(gateway)).toEqual(GATEWAY_TABLES);

    expect(await migrateSchema({ databaseUrl, schema: store, migrations: EVENT_STORE_MIGRATIONS })).toEqual([]);
    expect(await migrateSchema({ databaseUrl, schema: gateway, migrations: GATEWAY_MIGRATIONS })).toEqual([]);
    expect(await recorded(gateway)).toEqual(names(GATEWAY_MIGRATIONS));
  });

  it('lets exactly one of several concurrent runners apply the migrations', async () => {
    const gateway = schema('race');
    const runs = await Promise.all(Array.from({ length: 4 }, () => migrateSchema({ databaseUrl, schema: gateway, migrations: GATEWAY_MIGRATIONS })));
    expect(runs.filter((applied) => applied.length > 0)).toEqual([names(GATEWAY_MIGRATIONS)]);
    expect(await recorded(gateway)).toEqual(names(GATEWAY_MIGRATIONS));
    expect(await tables(gateway)).toEqual(GATEWAY_TABLES);
  });

  it('accepts a database the previous code created, keeping its rows', async () => {
    const store = schema('legacy_store');
    const gateway = schema('legacy_gateway');
    await createdByPreviousCode(store, EVENT_STORE_MIGRATIONS);
    await createdByPreviousCode(gateway, PRE_MIGRATION_GATEWAY);
    await pool.query(`INSERT INTO "${store}".unique_claims (claim_scope, claim_value, stream_id) VALUES ('username', 'kept', 's-1')`);
    await pool.query(`INSERT INTO "${gateway}".command_status (command_id, context, command_type, status) VALUES ('c-1', 'profile', 'RegisterProfile', 'started')`);

    expect(await migrateSchema({ databaseUrl, schema: store, migrations: EVENT_STORE_MIGRATIONS })).toEqual(names(EVENT_STORE_MIGRATIONS));
    expect(await migrateSchema({ databaseUrl, schema: gateway, migrations: GATEWAY_MIGRATIONS })).toEqual(names(GATEWAY_MIGRATIONS));
    expect(await tables(gateway)).toEqual(GATEWAY_TABLES);
    expect((await pool.query(`SELECT claim_value FROM "${store}".unique_claims`)).rows).toEqual([{ claim_value: 'kept' }]);
    expect((await pool.query(`SELECT status FROM "${gateway}".command_status`)).rows).toEqual([{ status: 'started' }]);
  });

  it('has entities that describe exactly the migrated gateway tables', async () => {
    const gateway = schema('entities');
    const dataSource = await gatewayDataSource(databaseUrl, gateway).initialize();
    try {
      await migrateSchema({ databaseUrl, schema: gateway, migrations: GATEWAY_MIGRATIONS });
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
