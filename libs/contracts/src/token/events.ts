export const AUTHORIZATION_TOKEN_STREAM_TYPE = 'authorization-token';
export const authorizationTokenStreamId = (tokenId: string): string => `authorization-token-${tokenId}`;

export type AuthorizationTokenIssued = {
  type: 'AuthorizationTokenIssued';
  tokenId: string;
  profileId: string;
  tokenHash: string;
  issuedAt: string;
  expiresAt: string;
};

export type AuthorizationTokenRevoked = {
  type: 'AuthorizationTokenRevoked';
  tokenId: string;
  profileId: string;
  tokenHash: string;
  revokedAt: string;
};

export type TokenEvent = AuthorizationTokenIssued | AuthorizationTokenRevoked;
export const TOKEN_EVENT_SCHEMA_VERSION: Record<TokenEvent['type'], number> = {
  AuthorizationTokenIssued: 1,
  AuthorizationTokenRevoked: 1,
};
