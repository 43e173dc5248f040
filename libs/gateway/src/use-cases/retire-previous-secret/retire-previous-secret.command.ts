import { Command } from '@nestjs/cqrs';
import type { Actor } from '@platform/contracts';

/**
 * Ends the previous secret's grace period now. `accepted`: the command is on its way (Privicore's
 * 202); `completed`: it has succeeded (the seed API's 204). Nothing left to retire is no error.
 */
export class RetirePreviousSecretCommand extends Command<{ commandId: string }> {
  constructor(
    readonly applicationId: string,
    readonly profileId: string,
    readonly actor: Actor,
    readonly completion: 'accepted' | 'completed',
  ) {
    super();
  }
}
