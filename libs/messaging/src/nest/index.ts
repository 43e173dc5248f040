export * from './message-bus.context';
export * from './message-bus.server';
