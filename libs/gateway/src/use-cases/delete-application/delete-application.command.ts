import { Command } from '@nestjs/cqrs';
import type { Actor } from '@platform/contracts';

/** Deleted at once, synchronously: every token of the application is inactive when it completes. */
export class DeleteApplicationCommand extends Command<void> {
  constructor(
    readonly applicationId: string,
    readonly profileId: string,
    readonly actor: Actor,
  ) {
    super();
  }
}
