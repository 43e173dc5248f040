export * from './authorization-token.decider';
