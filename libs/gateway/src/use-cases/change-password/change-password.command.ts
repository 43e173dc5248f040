import { Command } from '@nestjs/cqrs';
import type { ChangePassword } from '@platform/contracts';
import type { ProfilePrincipal } from '../../http/profile-auth';
import type { Credentials } from '../../profile/credentials.repository';

/** Answers the command id; a wrong current password ends `rejected` with `profile.invalid_password`. */
export class ChangePasswordCommand extends Command<string> {
  constructor(
    readonly principal: ProfilePrincipal,
    readonly clientAddress: string,
    readonly currentPassword: string,
    readonly newPassword: string,
  ) {
    super();
  }
}

/**
 * The gateway checks the current password against the hash it knows and sends only hashes; the
 * decider rejects when the check failed or the hash has changed since. The presented token survives.
 */
export const changePassword = (principal: ProfilePrincipal, current: Credentials | undefined, verified: boolean, newPasswordHash: string): ChangePassword => ({
  type: 'ChangePassword',
  profileId: principal.profileId,
  currentPasswordVerified: verified,
  verifiedAgainstHash: current?.passwordHash ?? '',
  newPasswordHash,
  keepAuthorizationTokenId: principal.tokenId,
});
