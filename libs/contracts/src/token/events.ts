export const AUTHORIZATION_TOKENS_STREAM_TYPE = 'authorization-tokens';
/** One stream per profile holds all of its authorization and QR tokens. */
export const authorizationTokensStreamId = (profileId: string): string => `authorization-tokens-${profileId}`;

export type AuthorizationTokenIssued = {
  type: 'AuthorizationTokenIssued';
  profileId: string;
  tokenId: string;
  tokenHash: string;
  issuedAt: string;
  expiresAt: string;
  /** How the profile proved itself: its password, a QR token, or an earlier token (reauthorize). */
  via: 'password' | 'qr-token' | 'reauthorization';
};

export type AuthorizationTokenRevokedReason = 'revoked' | 'reauthorized' | 'password-changed';

export type AuthorizationTokenRevoked = {
  type: 'AuthorizationTokenRevoked';
  profileId: string;
  tokenId: string;
  tokenHash: string;
  revokedAt: string;
  reason: AuthorizationTokenRevokedReason;
};

export type QrTokenIssued = {
  type: 'QrTokenIssued';
  profileId: string;
  qrTokenId: string;
  qrTokenHash: string;
  issuedAt: string;
  expiresAt: string;
};

export type QrTokenRedeemed = {
  type: 'QrTokenRedeemed';
  profileId: string;
  qrTokenId: string;
  qrTokenHash: string;
  tokenId: string;
  redeemedAt: string;
};

export type TokenEvent = AuthorizationTokenIssued | AuthorizationTokenRevoked | QrTokenIssued | QrTokenRedeemed;
export const TOKEN_EVENT_SCHEMA_VERSION: Record<TokenEvent['type'], number> = {
  AuthorizationTokenIssued: 1,
  AuthorizationTokenRevoked: 1,
  QrTokenIssued: 1,
  QrTokenRedeemed: 1,
};
