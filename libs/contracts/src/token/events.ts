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
  /** The authorization token that generated it (null for QR tokens issued before v2 recorded it). */
  authorizationTokenId: string | null;
};

export type QrTokenRedeemed = {
  type: 'QrTokenRedeemed';
  profileId: string;
  qrTokenId: string;
  qrTokenHash: string;
  tokenId: string;
  redeemedAt: string;
};

export type QrTokenRevokedReason = 'password-changed' | 'authorization-token-revoked' | 'authorization-token-reauthorized';

/** An outstanding QR token stops being redeemable: the password changed, or the token that made it went. */
export type QrTokenRevoked = {
  type: 'QrTokenRevoked';
  profileId: string;
  qrTokenId: string;
  qrTokenHash: string;
  revokedAt: string;
  reason: QrTokenRevokedReason;
};

export type TokenEvent = AuthorizationTokenIssued | AuthorizationTokenRevoked | QrTokenIssued | QrTokenRedeemed | QrTokenRevoked;
export const TOKEN_EVENT_SCHEMA_VERSION: Record<TokenEvent['type'], number> = {
  AuthorizationTokenIssued: 1,
  AuthorizationTokenRevoked: 1,
  QrTokenIssued: 2,
  QrTokenRedeemed: 1,
  QrTokenRevoked: 1,
};
