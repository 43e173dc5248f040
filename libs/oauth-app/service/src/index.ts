import { schemaName } from '@platform/config';
import { bootstrapService, type InfrastructureOptions } from '@platform/service-runtime';

/** The OAuth application context. Its aggregates arrive with the application flow; for now it runs its store and consumer. */
export const startOAuthAppService = (infrastructure: InfrastructureOptions) =>
  bootstrapService(infrastructure, { context: 'oauth-app', schema: schemaName('oauth_app'), aggregates: [] });
