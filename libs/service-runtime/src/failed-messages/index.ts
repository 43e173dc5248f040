export * from './postgres-failed-message-store';
