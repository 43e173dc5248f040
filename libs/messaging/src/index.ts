export * from './message-bus';
export * from './bus-logger';
export * from './kafka-message-bus';
export * from './in-process-message-bus';
