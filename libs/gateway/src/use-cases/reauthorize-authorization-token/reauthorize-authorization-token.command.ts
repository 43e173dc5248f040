import { Command } from '@nestjs/cqrs';
import type { ProfilePrincipal } from '../../http/profile-auth';
import type { IssuedSecret } from '../../profile/token-commands';

export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 2_592_000;

/** A new authorization token of `ttlSeconds`; the presented one stops working. */
export class ReauthorizeAuthorizationTokenCommand extends Command<IssuedSecret> {
  constructor(
    readonly principal: ProfilePrincipal,
    readonly ttlSeconds: number,
  ) {
    super();
  }
}
