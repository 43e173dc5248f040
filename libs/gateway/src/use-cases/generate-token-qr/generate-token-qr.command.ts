import { Command } from '@nestjs/cqrs';
import type { ProfilePrincipal } from '../../http/profile-auth';
import type { IssuedSecret } from '../../profile/token-commands';

/** A one-time, short-lived QR token another device trades for an authorization token of its own. */
export class GenerateTokenQrCommand extends Command<IssuedSecret> {
  constructor(readonly principal: ProfilePrincipal) {
    super();
  }
}
