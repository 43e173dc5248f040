import { HttpStatus, Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PlatformConfig } from '@platform/config';
import { PLATFORM_CONFIG } from '@platform/service-runtime';
import { PasswordAttempts } from '../../profile/password-attempts';
import { type IssuedSecret, TokenCommands } from '../../profile/token-commands';
import { AuthenticateCommand, signedIn } from './authenticate.command';

@CommandHandler(AuthenticateCommand)
export class AuthenticateHandler implements ICommandHandler<AuthenticateCommand> {
  constructor(
    private readonly passwords: PasswordAttempts,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly tokens: TokenCommands,
  ) {}

  async execute({ clientAddress, username, password }: AuthenticateCommand): Promise<IssuedSecret> {
    const { profileId } = signedIn(await this.passwords.signIn(clientAddress, username, password));
    return this.tokens.issue(
      this.config.authorizationTokenTtlSeconds,
      (token, expiresAt) => ({ type: 'IssueAuthorizationToken', profileId, tokenId: token.id, tokenHash: token.hash, expiresAt }),
      { status: HttpStatus.SERVICE_UNAVAILABLE, message: 'The token could not be issued; try again.' },
    );
  }
}
