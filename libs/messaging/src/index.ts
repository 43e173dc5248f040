export * from './message-bus';
export * from './bus-logger';
export * from './kafka-message-bus';
export * from './in-process-message-bus';
export * from './failed-messages';
export * from './bounded-retry';
export * from './failed-message-replayer';
export * from './nest';
