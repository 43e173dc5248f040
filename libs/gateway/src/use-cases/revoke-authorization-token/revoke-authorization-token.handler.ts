import { HttpStatus } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TokenCommands } from '../../profile/token-commands';
import { RevokeAuthorizationTokenCommand } from './revoke-authorization-token.command';

@CommandHandler(RevokeAuthorizationTokenCommand)
export class RevokeAuthorizationTokenHandler implements ICommandHandler<RevokeAuthorizationTokenCommand> {
  constructor(private readonly tokens: TokenCommands) {}

  execute({ principal }: RevokeAuthorizationTokenCommand): Promise<void> {
    return this.tokens.require(
      { type: 'RevokeAuthorizationToken', profileId: principal.profileId, tokenId: principal.tokenId },
      HttpStatus.UNAUTHORIZED,
      'The presented token is no longer active.',
    );
  }
}
