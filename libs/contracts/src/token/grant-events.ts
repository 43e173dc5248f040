import type { GrantRevokedReason } from './grant-commands';

export const GRANT_STREAM_TYPE = 'grant';
export const grantStreamId = (grantId: string): string => `grant-${grantId}`;

interface GrantFacts {
  grantId: string;
  applicationId: string;
  clientId: string;
  profileId: string | null;
}

export type AuthorizationCodeRequested = GrantFacts & {
  type: 'AuthorizationCodeRequested';
  nonceHash: string;
  scopes: string[];
  requestedAt: string;
  /** Until when the code can be retrieved and redeemed (60 s). */
  codeExpiresAt: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  redirectUri: string | null;
  codeChallenge: string | null;
};

export type AuthorizationCodeIssued = GrantFacts & { type: 'AuthorizationCodeIssued'; codeHash: string; issuedAt: string; codeExpiresAt: string };

export type AccessTokenIssued = GrantFacts & {
  type: 'AccessTokenIssued';
  accessTokenId: string;
  scopes: string[];
  issuedAt: string;
  expiresAt: string;
  via: 'authorization_code' | 'refresh_token' | 'client_credentials';
};

export type RefreshTokenIssued = GrantFacts & { type: 'RefreshTokenIssued'; refreshTokenHash: string; issuedAt: string; expiresAt: string };

export type AuthorizationCodeReplayed = GrantFacts & { type: 'AuthorizationCodeReplayed'; detectedAt: string };
export type RefreshTokenReuseDetected = GrantFacts & { type: 'RefreshTokenReuseDetected'; refreshTokenHash: string; detectedAt: string };
export type GrantRevoked = GrantFacts & { type: 'GrantRevoked'; reason: GrantRevokedReason; revokedAt: string };

export type GrantEvent =
  | AuthorizationCodeRequested
  | AuthorizationCodeIssued
  | AccessTokenIssued
  | RefreshTokenIssued
  | AuthorizationCodeReplayed
  | RefreshTokenReuseDetected
  | GrantRevoked;

export const GRANT_EVENT_SCHEMA_VERSION: Record<GrantEvent['type'], number> = {
  AuthorizationCodeRequested: 1,
  AuthorizationCodeIssued: 1,
  AccessTokenIssued: 1,
  RefreshTokenIssued: 1,
  AuthorizationCodeReplayed: 1,
  RefreshTokenReuseDetected: 1,
  GrantRevoked: 1,
};
