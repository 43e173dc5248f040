export { authorizationTokensAggregate, type ProfileTokens } from './authorization-token.decider';
export { AUTHORIZATION_CODE_TTL_SECONDS, type Grant, grantAggregate } from './grant.decider';
