import type { ClientType } from './commands';

export const OAUTH_APPLICATION_STREAM_TYPE = 'oauth-application';
export const oauthApplicationStreamId = (applicationId: string): string => `oauth-application-${applicationId}`;

export type OAuthApplicationRegistered = {
  type: 'OAuthApplicationRegistered';
  applicationId: string;
  profileId: string;
  name: string;
  clientId: string;
  clientType: ClientType;
  redirectUris: string[];
  scopes: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  registeredAt: string;
};

export type ClientCredentialsRevealed = {
  type: 'ClientCredentialsRevealed';
  applicationId: string;
  profileId: string;
  clientSecretHash: string | null;
  revealedAt: string;
};

export type ClientSecretRotated = { type: 'ClientSecretRotated'; applicationId: string; profileId: string; rotatedAt: string };
export type OAuthApplicationRevoked = { type: 'OAuthApplicationRevoked'; applicationId: string; profileId: string; revokedAt: string };
export type OAuthApplicationDeleted = { type: 'OAuthApplicationDeleted'; applicationId: string; profileId: string; clientId: string; deletedAt: string };

export type OAuthApplicationEvent =
  | OAuthApplicationRegistered
  | ClientCredentialsRevealed
  | ClientSecretRotated
  | OAuthApplicationRevoked
  | OAuthApplicationDeleted;

export const OAUTH_APPLICATION_EVENT_SCHEMA_VERSION: Record<OAuthApplicationEvent['type'], number> = {
  OAuthApplicationRegistered: 1,
  ClientCredentialsRevealed: 1,
  ClientSecretRotated: 1,
  OAuthApplicationRevoked: 1,
  OAuthApplicationDeleted: 1,
};
