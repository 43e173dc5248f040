export * from './config';
export { ConfigError, FILE_VARIABLES } from './environment';
