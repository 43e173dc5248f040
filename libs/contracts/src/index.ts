export * from './topics';
export * from './messages';
export * from './errors';
export * from './scopes';
export * from './profile/commands';
export * from './profile/events';
export * from './token/commands';
export * from './token/events';
