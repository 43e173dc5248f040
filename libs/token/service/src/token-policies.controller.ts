import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { authorizationTokensStreamId, eventsTopic, type EventsTopicMessage, type PasswordChanged, type RevokeOtherAuthorizationTokens } from '@platform/contracts';
import { ContextCommands, type Policy } from '@platform/service-runtime';

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

/** The token context's reactions to other contexts' events (consumer group `token-policies`). */
@Controller()
export class TokenPoliciesController {
  constructor(private readonly commands: ContextCommands) {}

  @EventPattern(eventsTopic('profile'), { group: 'token-policies' })
  async onProfileEvent(@Payload() message: EventsTopicMessage): Promise<void> {
    await this.commands.react(revokeOtherTokensOnPasswordChange, message);
  }
}
