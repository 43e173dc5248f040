import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RefreshAccessToken } from '@platform/contracts';
import { sha256 } from '../../../http/profile-auth';
import { ApplicationsRepository } from '../../../oauth-app/applications.repository';
import { GrantsRepository } from '../../../oauth-app/grants.repository';
import { invalidGrant, TokenIssuer, type TokenSet } from '../../../oauth/token-issuer';
import type { OAuthApplicationRow } from '../../../read-models/oauth-applications.projection';
import type { GrantRow } from '../../../read-models/grants.projection';

/**
 * Who presents the refresh token: an authenticated client (RFC 6749 §6), or, in the Privicore
 * dialect, the holder of a signed access token of the same grant.
 */
export type RefreshPresenter = { client: OAuthApplicationRow } | { accessTokenGrantId: string };

/** The refresh token rotates; `scopes` narrows this access token only (empty keeps the grant's). */
export class RefreshTokenGrant extends Command<TokenSet> {
  constructor(
    readonly presenter: RefreshPresenter,
    readonly refreshToken: string,
    readonly scopes: string[] = [],
  ) {
    super();
  }
}

const presentedBy = (grant: GrantRow, presenter: RefreshPresenter) =>
  'client' in presenter ? grant.clientId === presenter.client.clientId : grant.grantId === presenter.accessTokenGrantId;

@CommandHandler(RefreshTokenGrant)
export class RefreshTokenGrantHandler implements ICommandHandler<RefreshTokenGrant> {
  constructor(
    private readonly applications: ApplicationsRepository,
    private readonly grants: GrantsRepository,
    private readonly issuer: TokenIssuer,
  ) {}

  async execute({ presenter, refreshToken, scopes }: RefreshTokenGrant): Promise<TokenSet> {
    const refreshTokenHash = sha256(refreshToken);
    const grant = await this.grants.bySecret(refreshTokenHash, 'refresh');
    if (!grant || !presentedBy(grant, presenter)) throw invalidGrant();
    const application = 'client' in presenter ? presenter.client : await this.applications.byId(grant.applicationId);
    if (!application || application.status !== 'active') throw invalidGrant();
    const minted = this.issuer.mint(application, true);
    const command: RefreshAccessToken = { type: 'RefreshAccessToken', grantId: grant.grantId, clientId: grant.clientId, refreshTokenHash, scopes, tokens: minted.commandTokens };
    const decided = await this.issuer.runGrantCommand(command, { applicationId: application.applicationId, profileId: grant.profileId ?? undefined });
    return this.issuer.sign(minted, { ...grant, scopes: decided.scopes ?? (scopes.length > 0 ? scopes : grant.scopes) });
  }
}
