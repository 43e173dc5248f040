import { Command } from '@nestjs/cqrs';
import type { RegisterProfile } from '@platform/contracts';
import { hashPassword } from '../../profile/password-hashing';
import { assertStrongPassword } from '../../profile/password-policy';

/** Answers the command id; the profile exists once the command has succeeded. */
export class RegisterProfileCommand extends Command<string> {
  constructor(
    readonly username: string,
    readonly password: string,
  ) {
    super();
  }
}

/** A weak password is refused before anything is hashed or sent; the command carries only the argon2id hash. */
export const registerProfile = async (profileId: string, username: string, password: string): Promise<RegisterProfile> => {
  assertStrongPassword(password, username);
  return { type: 'RegisterProfile', profileId, username, passwordHash: await hashPassword(password) };
};
