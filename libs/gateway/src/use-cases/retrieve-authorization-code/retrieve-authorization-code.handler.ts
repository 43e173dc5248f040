import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import type { IssueAuthorizationCode } from '@platform/contracts';
import { sha256 } from '../../http/profile-auth';
import { GrantsRepository } from '../../oauth-app/grants.repository';
import { TokenIssuer } from '../../oauth/token-issuer';
import { retrievable, RetrieveAuthorizationCodeCommand, type RetrievedCode } from './retrieve-authorization-code.command';

/** The code is created as it is handed over; only its hash is recorded. */
@CommandHandler(RetrieveAuthorizationCodeCommand)
export class RetrieveAuthorizationCodeHandler implements ICommandHandler<RetrieveAuthorizationCodeCommand> {
  constructor(
    private readonly grants: GrantsRepository,
    private readonly issuer: TokenIssuer,
  ) {}

  async execute({ client, grantId, nonce }: RetrieveAuthorizationCodeCommand): Promise<RetrievedCode> {
    const grant = retrievable(await this.grants.byId(grantId), client.clientId, nonce);
    const authorizationCode = randomBytes(32).toString('base64url');
    const command: IssueAuthorizationCode = { type: 'IssueAuthorizationCode', grantId: grant.grantId, clientId: client.clientId, nonceHash: grant.nonceHash, codeHash: sha256(authorizationCode) };
    await this.issuer.runGrantCommand(command, { applicationId: client.applicationId, profileId: grant.profileId ?? undefined });
    return { authorizationCode, expiresAt: grant.codeExpiresAt! };
  }
}
