import { Command } from '@nestjs/cqrs';
import type { Actor } from '@platform/contracts';

/** Answers the command id; every token of the application is refused once it succeeds. */
export class RevokeApplicationCommand extends Command<string> {
  constructor(
    readonly applicationId: string,
    readonly profileId: string,
    readonly actor: Actor,
  ) {
    super();
  }
}
