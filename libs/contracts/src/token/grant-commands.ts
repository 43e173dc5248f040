/**
 * A grant is one authorization of one application by one profile (or of the application itself,
 * for client_credentials): its code, its access tokens and its family of refresh tokens.
 * The gateway enriches each command with the application facts the decision needs, read from its
 * up-to-date read model, and sends only hashes of codes and tokens.
 */
export interface GrantApplication {
  applicationId: string;
  clientId: string;
  ownerProfileId: string;
  scopes: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export type RequestAuthorizationCode = {
  type: 'RequestAuthorizationCode';
  grantId: string;
  profileId: string;
  application: GrantApplication;
  nonceHash: string;
  scopes: string[];
  /** Set by the standards dialect: the code is issued with the request and bound to these. */
  redirectUri?: string;
  codeChallenge?: string;
  codeHash?: string;
};

export type IssueAuthorizationCode = {
  type: 'IssueAuthorizationCode';
  grantId: string;
  clientId: string;
  nonceHash: string;
  codeHash: string;
};

export interface IssuedTokens {
  accessTokenId: string;
  accessTokenExpiresAt: string;
  refreshTokenHash: string | null;
  refreshTokenExpiresAt: string | null;
}

export type RedeemAuthorizationCode = {
  type: 'RedeemAuthorizationCode';
  grantId: string;
  clientId: string;
  codeHash: string;
  redirectUri?: string;
  codeVerifierChallenge?: string;
  tokens: IssuedTokens;
};

export type RefreshAccessToken = {
  type: 'RefreshAccessToken';
  grantId: string;
  clientId: string;
  refreshTokenHash: string;
  /** RFC 6749 §6: narrows this access token only; absent or empty keeps the grant's scopes. */
  scopes?: string[];
  tokens: IssuedTokens;
};

export type IssueClientCredentialsToken = {
  type: 'IssueClientCredentialsToken';
  grantId: string;
  application: GrantApplication;
  scopes: string[];
  tokens: IssuedTokens;
};

export type RevokeGrant = { type: 'RevokeGrant'; grantId: string; reason: GrantRevokedReason };

/** The resource owner (the grant's `sub`) withdraws its authorization; any other profile is told the grant does not exist. */
export type RevokeGrantByResourceOwner = { type: 'RevokeGrantByResourceOwner'; grantId: string; profileId: string };

export type GrantRevokedReason = 'code-replayed' | 'refresh-token-reused' | 'revoked-by-client' | 'application-revoked' | 'revoked-by-resource-owner';

export type GrantCommand =
  | RequestAuthorizationCode
  | IssueAuthorizationCode
  | RedeemAuthorizationCode
  | RefreshAccessToken
  | IssueClientCredentialsToken
  | RevokeGrant
  | RevokeGrantByResourceOwner;
