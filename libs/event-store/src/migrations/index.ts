import type { MigrationClass } from './migration-schema';
import { OutboxBaseline1767225600000 } from './1767225600000-outbox-baseline';
import { EventStoreBaseline1767225600001 } from './1767225600001-event-store-baseline';
import { FailedMessagesBaseline1767225600002 } from './1767225600002-failed-messages-baseline';

/** The outbox alone: what a writer that is not an event store (the gateway's dispatcher) publishes through. */
export const OUTBOX_MIGRATIONS: readonly MigrationClass[] = [OutboxBaseline1767225600000];

/** Where a consumer parks the messages it could not handle; every consuming schema has it. */
export const FAILED_MESSAGES_MIGRATIONS: readonly MigrationClass[] = [FailedMessagesBaseline1767225600002];

/** Every table of one context's schema, in order. Append new migrations here; never edit an applied one. */
export const EVENT_STORE_MIGRATIONS: readonly MigrationClass[] = [...OUTBOX_MIGRATIONS, EventStoreBaseline1767225600001, ...FAILED_MESSAGES_MIGRATIONS];

export { forwardOnly, type MigrationClass, migrationSchema } from './migration-schema';
export { migrateSchema, runPendingMigrations, schemaDataSource, type SchemaDatabaseOptions } from './run-migrations';
