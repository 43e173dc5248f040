import { schemaName } from '@platform/config';
import { oauthApplicationAggregate } from '@platform/oauth-app-domain';
import { bootstrapService, type ServiceOptions } from '@platform/service-runtime';

/** The OAuth application context: registration, one-time credentials, rotation, revocation, deletion. */
export const startOAuthAppService = (infrastructure: ServiceOptions) =>
  bootstrapService(infrastructure, { context: 'oauth-app', schema: schemaName('oauth_app'), aggregates: [oauthApplicationAggregate] });
