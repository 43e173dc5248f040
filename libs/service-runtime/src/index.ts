export * from './decider';
export * from './command-processor';
export * from './decider-spec';
export * from './failed-messages';
export * from './nest';
export * from './process-safety-net';
