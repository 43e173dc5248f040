export * from './postgres-failed-message-store';
export * from './subscribe-with-failed-messages';
