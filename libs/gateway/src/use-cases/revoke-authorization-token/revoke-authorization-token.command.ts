import { Command } from '@nestjs/cqrs';
import type { ProfilePrincipal } from '../../http/profile-auth';

/** The presented token is refused from then on. */
export class RevokeAuthorizationTokenCommand extends Command<void> {
  constructor(readonly principal: ProfilePrincipal) {
    super();
  }
}
