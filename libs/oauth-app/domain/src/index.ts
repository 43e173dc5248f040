export * from './oauth-application.decider';
