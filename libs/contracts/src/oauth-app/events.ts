import type { ClientType, OAuthApplicationChanges } from './commands';

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

/**
 * v2: the secret that keeps authenticating until `previousSecretExpiresAt` (null: none does).
 * v1 (`ClientSecretRotatedV1` in upcasting.ts) refused the old secret at once.
 */
export type ClientSecretRotated = {
  type: 'ClientSecretRotated';
  applicationId: string;
  profileId: string;
  graceSeconds: number;
  previousSecretHash: string | null;
  previousSecretExpiresAt: string | null;
  rotatedAt: string;
};
export type PreviousClientSecretRetired = { type: 'PreviousClientSecretRetired'; applicationId: string; profileId: string; retiredAt: string };
/** Only the fields that were given; the others keep their value. */
export type OAuthApplicationUpdated = { type: 'OAuthApplicationUpdated'; applicationId: string; profileId: string; changes: OAuthApplicationChanges; updatedAt: string };
export type OAuthApplicationRevoked = { type: 'OAuthApplicationRevoked'; applicationId: string; profileId: string; revokedAt: string };
export type OAuthApplicationDeleted = { type: 'OAuthApplicationDeleted'; applicationId: string; profileId: string; clientId: string; deletedAt: string };

export type OAuthApplicationEvent =
  | OAuthApplicationRegistered
  | ClientCredentialsRevealed
  | ClientSecretRotated
  | PreviousClientSecretRetired
  | OAuthApplicationUpdated
  | OAuthApplicationRevoked
  | OAuthApplicationDeleted;

export const OAUTH_APPLICATION_EVENT_SCHEMA_VERSION: Record<OAuthApplicationEvent['type'], number> = {
  OAuthApplicationRegistered: 1,
  ClientCredentialsRevealed: 1,
  ClientSecretRotated: 2,
  PreviousClientSecretRetired: 1,
  OAuthApplicationUpdated: 1,
  OAuthApplicationRevoked: 1,
  OAuthApplicationDeleted: 1,
};
