export * from './errors';
export * from './types';
export * from './schema';
export * from './postgres-event-store';
export * from './outbox-relay';
export * from './transaction';
export * from './batch-append';
