/**
 * Commands of the token context. The gateway generates every token and sends only its SHA-256 hash;
 * all of a profile's authorization and QR tokens live in one stream, so a reauthorization (issue one,
 * revoke another) or a redemption is a single atomic decision.
 */
export type IssueAuthorizationToken = {
  type: 'IssueAuthorizationToken';
  profileId: string;
  tokenId: string;
  tokenHash: string;
  expiresAt: string;
};

export type ReauthorizeAuthorizationToken = {
  type: 'ReauthorizeAuthorizationToken';
  profileId: string;
  currentTokenId: string;
  tokenId: string;
  tokenHash: string;
  expiresAt: string;
};

export type RevokeAuthorizationToken = {
  type: 'RevokeAuthorizationToken';
  profileId: string;
  tokenId: string;
};

/**
 * Sent by the token service's own policy when a profile's password changes; it also revokes every QR
 * token issued up to `changedAt` (all outstanding ones when absent).
 */
export type RevokeOtherAuthorizationTokens = {
  type: 'RevokeOtherAuthorizationTokens';
  profileId: string;
  keepTokenId: string | null;
  changedAt?: string;
};

export type IssueQrToken = {
  type: 'IssueQrToken';
  profileId: string;
  /** The authorization token that asks for it: revoking or reauthorizing that token revokes the QR token. */
  authorizationTokenId: string;
  qrTokenId: string;
  qrTokenHash: string;
  expiresAt: string;
};

export type RedeemQrToken = {
  type: 'RedeemQrToken';
  profileId: string;
  qrTokenId: string;
  tokenId: string;
  tokenHash: string;
  expiresAt: string;
};

export type TokenCommand =
  | IssueAuthorizationToken
  | ReauthorizeAuthorizationToken
  | RevokeAuthorizationToken
  | RevokeOtherAuthorizationTokens
  | IssueQrToken
  | RedeemQrToken;
