import { Command } from '@nestjs/cqrs';
import type { Actor } from '@platform/contracts';

/** One grant, or every grant of the profile to one application; answers the command id to poll. */
export class RevokeAuthorizedApplicationCommand extends Command<string> {
  constructor(
    readonly profileId: string,
    readonly target: { grantId: string } | { applicationId: string },
    readonly actor: Actor,
  ) {
    super();
  }
}
