export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');
export const PG_POOL = Symbol('PG_POOL');
/** The consuming app's `PostgresFailedMessageStore` (its own schema). */
export const FAILED_MESSAGES = Symbol('FAILED_MESSAGES');
