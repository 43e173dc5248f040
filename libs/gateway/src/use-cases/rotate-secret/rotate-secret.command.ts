import { Command } from '@nestjs/cqrs';
import type { Actor } from '@platform/contracts';

export interface RotatedSecret {
  /** Null for a public client, which has no secret. */
  clientSecret: string | null;
  /** Until when the previous secret authenticates; null when none does (grace 0, or no secret was ever read). */
  previousSecretExpiresAt: string | null;
}

/** Rotates and reads the new secret at once (the seed API's 201); the previous one overlaps for `graceSeconds`. */
export class RotateSecretCommand extends Command<RotatedSecret> {
  constructor(
    readonly applicationId: string,
    readonly profileId: string,
    readonly actor: Actor,
    readonly graceSeconds: number,
  ) {
    super();
  }
}
