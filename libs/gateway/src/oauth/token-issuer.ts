import { HttpStatus, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { tokensIssued } from '@platform/observability';
import { ErrorCodes, type GrantApplication, type GrantCommand, type IssuedTokens } from '@platform/contracts';
import { ApiError } from '../http/errors';
import { sha256 } from '../http/profile-auth';
import type { OAuthApplicationRow } from '../read-models/oauth-applications.projection';
import { AccessTokens } from './access-tokens';
import { GrantCommands } from './grant-commands';

export interface MintedTokens {
  commandTokens: IssuedTokens;
  refreshToken: string | null;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  scopes: string[];
  expiresAt: string;
  expiresIn: number;
  refreshTokenExpiresAt: string | null;
}

export const grantApplicationOf = (application: OAuthApplicationRow): GrantApplication => ({
  applicationId: application.applicationId,
  clientId: application.clientId,
  ownerProfileId: application.profileId,
  scopes: application.scopes,
  accessTokenTtlSeconds: application.accessTokenTtlSeconds,
  refreshTokenTtlSeconds: application.refreshTokenTtlSeconds,
});

export class OAuthError extends ApiError {
  constructor(code: string, message: string, status = HttpStatus.BAD_REQUEST) {
    super(status, code, message);
  }
}

/** The OAuth grant type each token-issuing grant command serves (the metric's label). */
const GRANT_TYPES: Partial<Record<GrantCommand['type'], string>> = {
  RedeemAuthorizationCode: 'authorization_code',
  RefreshAccessToken: 'refresh_token',
  IssueClientCredentialsToken: 'client_credentials',
};

export const invalidGrant = (message = 'The grant is invalid, expired, used or revoked.') => new OAuthError(ErrorCodes.oauthInvalidGrant, message);

/**
 * The token core both dialects share: new ids and secrets (hashes go in the command), the grant
 * command decided and committed in-process (`GrantCommands`), and the JWT signed only once the grant
 * has recorded it.
 */
@Injectable()
export class TokenIssuer {
  constructor(
    private readonly commands: GrantCommands,
    private readonly accessTokens: AccessTokens,
  ) {}

  mint(application: Pick<OAuthApplicationRow, 'accessTokenTtlSeconds' | 'refreshTokenTtlSeconds'>, withRefreshToken: boolean): MintedTokens {
    const now = Date.now();
    const refreshToken = withRefreshToken ? randomBytes(32).toString('base64url') : null;
    return {
      refreshToken,
      commandTokens: {
        accessTokenId: uuidv7(),
        accessTokenExpiresAt: new Date(now + application.accessTokenTtlSeconds * 1000).toISOString(),
        refreshTokenHash: refreshToken && sha256(refreshToken),
        refreshTokenExpiresAt: refreshToken ? new Date(now + application.refreshTokenTtlSeconds * 1000).toISOString() : null,
      },
    };
  }

  /**
   * Runs a grant command; a rejection or a refusal (replay, reuse) becomes an RFC 6749 error.
   * Answers the scopes the grant decided for the access token, when it issued one.
   */
  async runGrantCommand(command: GrantCommand, actor: { profileId?: string; applicationId?: string }): Promise<{ scopes?: string[] }> {
    const outcome = await this.commands.run(command, actor);
    if (outcome.status === 'succeeded' && !outcome.result?.refused) {
      const grantType = GRANT_TYPES[command.type];
      if (grantType) tokensIssued.inc({ grant_type: grantType });
      const scopes = outcome.result?.scopes;
      return Array.isArray(scopes) ? { scopes: scopes.map(String) } : {};
    }
    const reason = outcome.status === 'succeeded' ? String(outcome.result?.refused) : (outcome.reason ?? ErrorCodes.oauthInvalidGrant);
    if (reason === ErrorCodes.oauthInvalidScope) throw new OAuthError('invalid_scope', 'The requested scope is unknown or exceeds what may be granted.');
    if (reason.startsWith('oauth.') && reason !== ErrorCodes.oauthInvalidGrant) throw new OAuthError(reason, 'The request was refused.');
    throw invalidGrant();
  }

  async sign(minted: MintedTokens, grant: { grantId: string; applicationId: string; clientId: string; profileId: string | null; scopes: string[] }): Promise<TokenSet> {
    const expiresAt = Date.parse(minted.commandTokens.accessTokenExpiresAt);
    const accessToken = await this.accessTokens.sign({
      jti: minted.commandTokens.accessTokenId,
      clientId: grant.clientId,
      scopes: grant.scopes,
      grantId: grant.grantId,
      applicationId: grant.applicationId,
      profileId: grant.profileId,
      expiresAt,
    });
    return {
      accessToken,
      refreshToken: minted.refreshToken,
      scopes: grant.scopes,
      expiresAt: minted.commandTokens.accessTokenExpiresAt,
      expiresIn: Math.round((expiresAt - Date.now()) / 1000),
      refreshTokenExpiresAt: minted.commandTokens.refreshTokenExpiresAt,
    };
  }
}
