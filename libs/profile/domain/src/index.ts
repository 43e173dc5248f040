export * from './profile.decider';
