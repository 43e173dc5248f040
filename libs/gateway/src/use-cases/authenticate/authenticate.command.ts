import { HttpStatus } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import { ErrorCodes } from '@platform/contracts';
import { TooManyAttempts } from '../../http/brute-force';
import { ApiError } from '../../http/errors';
import type { Credentials } from '../../profile/credentials.repository';
import type { PasswordCheck } from '../../profile/password-attempts';
import type { IssuedSecret } from '../../profile/token-commands';

/** A username and password traded for a new authorization token; the client address carries the attempt budget. */
export class AuthenticateCommand extends Command<IssuedSecret> {
  constructor(
    readonly clientAddress: string,
    readonly username: string,
    readonly password: string,
  ) {
    super();
  }
}

/** The same answer for an unknown username and a wrong password. */
export const signedIn = (check: PasswordCheck): Credentials => {
  if (check.outcome === 'throttled') throw new TooManyAttempts(check.retryAfterSeconds);
  if (check.outcome === 'rejected') throw new ApiError(HttpStatus.UNAUTHORIZED, ErrorCodes.profileInvalidCredentials, 'Unknown username or wrong password.');
  return check.profile;
};
