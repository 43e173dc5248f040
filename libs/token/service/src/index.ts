import { schemaName } from '@platform/config';
import { bootstrapService, type ServiceOptions } from '@platform/service-runtime';
import { authorizationTokensAggregate, grantAggregate } from '@platform/token-domain';
import { TokenPoliciesController } from './token-policies.controller';

export { revokeOtherTokensOnPasswordChange, TokenPoliciesController } from './token-policies.controller';

/** The token context: profile authorization tokens and QR tokens, OAuth grants, and the password-change policy. */
export const startTokenService = (infrastructure: ServiceOptions) =>
  bootstrapService(infrastructure, {
    context: 'token',
    schema: schemaName('token'),
    aggregates: [authorizationTokensAggregate, grantAggregate],
    controllers: [TokenPoliciesController],
  });
