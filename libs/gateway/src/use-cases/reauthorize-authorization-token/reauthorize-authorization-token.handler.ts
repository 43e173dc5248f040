import { HttpStatus } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type IssuedSecret, TokenCommands } from '../../profile/token-commands';
import { ReauthorizeAuthorizationTokenCommand } from './reauthorize-authorization-token.command';

@CommandHandler(ReauthorizeAuthorizationTokenCommand)
export class ReauthorizeAuthorizationTokenHandler implements ICommandHandler<ReauthorizeAuthorizationTokenCommand> {
  constructor(private readonly tokens: TokenCommands) {}

  execute({ principal, ttlSeconds }: ReauthorizeAuthorizationTokenCommand): Promise<IssuedSecret> {
    return this.tokens.issue(
      ttlSeconds,
      (token, expiresAt) => ({
        type: 'ReauthorizeAuthorizationToken',
        profileId: principal.profileId,
        currentTokenId: principal.tokenId,
        tokenId: token.id,
        tokenHash: token.hash,
        expiresAt,
      }),
      { status: HttpStatus.UNAUTHORIZED, message: 'The presented token is no longer active.' },
    );
  }
}
