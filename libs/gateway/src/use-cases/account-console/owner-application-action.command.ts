import { Command } from '@nestjs/cqrs';
import type { Actor } from '@platform/contracts';

export type OwnerAction = 'rotate-secret' | 'retire-previous-secret' | 'revoke' | 'delete';

/** An owner's control over its application, run to completion; a rotation answers the new secret (shown once). */
export class OwnerApplicationActionCommand extends Command<{ clientSecret?: string | null }> {
  constructor(
    readonly action: OwnerAction,
    readonly applicationId: string,
    readonly profileId: string,
    readonly actor: Actor,
  ) {
    super();
  }
}
