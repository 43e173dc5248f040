import { schemaName } from '@platform/config';
import { bootstrapService, type InfrastructureOptions } from '@platform/service-runtime';
import { authorizationTokenAggregate } from '@platform/token-domain';

/** The token context: issues and revokes profile authorization tokens (and, later, OAuth grants). */
export const startTokenService = (infrastructure: InfrastructureOptions) =>
  bootstrapService(infrastructure, { context: 'token', schema: schemaName('token'), aggregates: [authorizationTokenAggregate] });
