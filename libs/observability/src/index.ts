export * from './metrics';
export * from './metrics.controller';
export * from './tracing';
export * from './log-context';
export * from './logger-options';
export * from './http-observability';
export * from './observed-message-bus';
