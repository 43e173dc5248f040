import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { profileStreamId } from '@platform/contracts';
import { CommandDispatcher } from '../../commands/command-dispatcher';
import { TooManyAttempts } from '../../http/brute-force';
import { CredentialsRepository } from '../../profile/credentials.repository';
import { PasswordAttempts } from '../../profile/password-attempts';
import { hashPassword } from '../../profile/password-hashing';
import { assertStrongPassword } from '../../profile/password-policy';
import { changePassword, ChangePasswordCommand } from './change-password.command';

@CommandHandler(ChangePasswordCommand)
export class ChangePasswordHandler implements ICommandHandler<ChangePasswordCommand> {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly dispatcher: CommandDispatcher,
    private readonly passwords: PasswordAttempts,
  ) {}

  async execute({ principal, clientAddress, currentPassword, newPassword }: ChangePasswordCommand): Promise<string> {
    const { profileId } = principal;
    const current = await this.credentials.byProfileId(profileId);
    assertStrongPassword(newPassword, current?.username);
    const check = await this.passwords.currentPassword(clientAddress, profileId, current, currentPassword);
    if (check.outcome === 'throttled') throw new TooManyAttempts(check.retryAfterSeconds);
    const command = changePassword(principal, current, check.outcome === 'accepted', await hashPassword(newPassword));
    return this.dispatcher.dispatch({ context: 'profile', streamId: profileStreamId(profileId), command, actor: { profileId } });
  }
}
