import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RevokeGrant } from '@platform/contracts';
import { TokenIssuer } from '../../oauth/token-issuer';
import { TokenLocator } from '../../oauth/token-locator';
import { revocable, RevokeTokenCommand } from './revoke-token.command';

@CommandHandler(RevokeTokenCommand)
export class RevokeTokenHandler implements ICommandHandler<RevokeTokenCommand> {
  constructor(
    private readonly tokens: TokenLocator,
    private readonly issuer: TokenIssuer,
  ) {}

  async execute({ client, token }: RevokeTokenCommand): Promise<void> {
    const located = await this.tokens.locate(token);
    if (!revocable(located, client)) return;
    const command: RevokeGrant = { type: 'RevokeGrant', grantId: located.grant.grantId, reason: 'revoked-by-client' };
    await this.issuer.runGrantCommand(command, { applicationId: client.applicationId, profileId: located.grant.profileId ?? undefined });
  }
}
