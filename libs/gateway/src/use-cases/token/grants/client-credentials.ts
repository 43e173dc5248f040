import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { ErrorCodes, type IssueClientCredentialsToken } from '@platform/contracts';
import { scopeList } from '../../../oauth-app/redirect-uri';
import { grantApplicationOf, type MintedTokens, OAuthError, TokenIssuer, type TokenSet } from '../../../oauth/token-issuer';
import type { OAuthApplicationRow } from '../../../read-models/oauth-applications.projection';

/** A confidential client asks for a token of its own, acting for no profile. `scope` as sent (space- or comma-separated). */
export class ClientCredentialsGrant extends Command<TokenSet> {
  constructor(
    readonly client: OAuthApplicationRow,
    readonly scope?: string,
  ) {
    super();
  }
}

/**
 * The grant command and the scopes the token will carry: those asked for, else all the
 * application's (the decider refuses any beyond them). A public client cannot prove who it is.
 */
export const clientCredentialsRequest = (client: OAuthApplicationRow, scope: string | undefined, grantId: string, minted: MintedTokens) => {
  if (client.clientType === 'public') throw new OAuthError(ErrorCodes.oauthUnauthorizedClient, 'A public client cannot use client_credentials.');
  const scopes = (scopeList({ value: scope ?? '' }) as string[]) ?? [];
  const command: IssueClientCredentialsToken = { type: 'IssueClientCredentialsToken', grantId, application: grantApplicationOf(client), scopes, tokens: minted.commandTokens };
  return { command, granted: scopes.length > 0 ? scopes : client.scopes };
};

@CommandHandler(ClientCredentialsGrant)
export class ClientCredentialsGrantHandler implements ICommandHandler<ClientCredentialsGrant> {
  constructor(private readonly issuer: TokenIssuer) {}

  async execute({ client, scope }: ClientCredentialsGrant): Promise<TokenSet> {
    const grantId = uuidv7();
    const minted = this.issuer.mint(client, false);
    const { command, granted } = clientCredentialsRequest(client, scope, grantId, minted);
    await this.issuer.runGrantCommand(command, { applicationId: client.applicationId });
    return this.issuer.sign(minted, { grantId, applicationId: client.applicationId, clientId: client.clientId, profileId: null, scopes: granted });
  }
}
