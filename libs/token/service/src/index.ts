import { schemaName } from '@platform/config';
import { authorizationTokensStreamId, type PasswordChanged, type RevokeOtherAuthorizationTokens } from '@platform/contracts';
import { bootstrapService, type InfrastructureOptions, type Policy } from '@platform/service-runtime';
import { authorizationTokensAggregate, grantAggregate } from '@platform/token-domain';

/** A password change revokes the profile's other authorization tokens (the one that made it stays) and every QR token issued before it. */
export const revokeOtherTokensOnPasswordChange: Policy = {
  source: 'profile',
  react(event) {
    if (event.type !== 'PasswordChanged') return undefined;
    const changed = event.data as Omit<PasswordChanged, 'type'>;
    const command: RevokeOtherAuthorizationTokens = {
      type: 'RevokeOtherAuthorizationTokens',
      profileId: changed.profileId,
      keepTokenId: changed.keepAuthorizationTokenId,
      changedAt: changed.changedAt,
    };
    return { streamId: authorizationTokensStreamId(changed.profileId), command };
  },
};

/** The token context: profile authorization tokens and QR tokens (and, later, OAuth grants). */
export const startTokenService = (infrastructure: InfrastructureOptions) =>
  bootstrapService(infrastructure, {
    context: 'token',
    schema: schemaName('token'),
    aggregates: [authorizationTokensAggregate, grantAggregate],
    policies: [revokeOtherTokensOnPasswordChange],
  });
