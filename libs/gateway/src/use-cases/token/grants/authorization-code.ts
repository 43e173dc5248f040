import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { hash } from 'node:crypto';
import type { RedeemAuthorizationCode } from '@platform/contracts';
import { sha256 } from '../../../http/profile-auth';
import { GrantsRepository } from '../../../oauth-app/grants.repository';
import { invalidGrant, TokenIssuer, type TokenSet } from '../../../oauth/token-issuer';
import type { OAuthApplicationRow } from '../../../read-models/oauth-applications.projection';

/** The authenticated client redeems its code; the Privicore dialect sends no redirect URI and no verifier. */
export class AuthorizationCodeGrant extends Command<TokenSet> {
  constructor(
    readonly client: OAuthApplicationRow,
    readonly code: string,
    readonly redirectUri?: string,
    readonly codeVerifier?: string,
  ) {
    super();
  }
}

export const pkceChallenge = (verifier: string) => hash('sha256', verifier, 'base64url');

@CommandHandler(AuthorizationCodeGrant)
export class AuthorizationCodeGrantHandler implements ICommandHandler<AuthorizationCodeGrant> {
  constructor(
    private readonly grants: GrantsRepository,
    private readonly issuer: TokenIssuer,
  ) {}

  async execute({ client, code, redirectUri, codeVerifier }: AuthorizationCodeGrant): Promise<TokenSet> {
    const codeHash = sha256(code);
    const grant = await this.grants.bySecret(codeHash, 'code');
    if (!grant || grant.clientId !== client.clientId) throw invalidGrant();
    const minted = this.issuer.mint(client, true);
    const command: RedeemAuthorizationCode = {
      type: 'RedeemAuthorizationCode',
      grantId: grant.grantId,
      clientId: client.clientId,
      codeHash,
      redirectUri,
      codeVerifierChallenge: codeVerifier ? pkceChallenge(codeVerifier) : undefined,
      tokens: minted.commandTokens,
    };
    await this.issuer.runGrantCommand(command, { applicationId: client.applicationId, profileId: grant.profileId ?? undefined });
    return this.issuer.sign(minted, grant);
  }
}
