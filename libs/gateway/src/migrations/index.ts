import { FAILED_MESSAGES_MIGRATIONS, type MigrationClass, OUTBOX_MIGRATIONS } from '@platform/event-store';
import { GatewayBaseline1767225600100 } from './1767225600100-gateway-baseline';
import { IdempotencyKeys1795516800000 } from './1795516800000-idempotency-keys';
import { ConsentsAndBrowserSessions1795516800001 } from './1795516800001-consents-and-browser-sessions';

/** Every table of the gateway's schema, in order. Append new migrations here; never edit an applied one. */
export const GATEWAY_MIGRATIONS: readonly MigrationClass[] = [...OUTBOX_MIGRATIONS, ...FAILED_MESSAGES_MIGRATIONS, GatewayBaseline1767225600100, IdempotencyKeys1795516800000, ConsentsAndBrowserSessions1795516800001];
