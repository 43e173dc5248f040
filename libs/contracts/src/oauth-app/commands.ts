export type ClientType = 'confidential' | 'public';

/** The command id is the application id. The client secret does not exist until the owner reads it. */
export type RegisterOAuthApplication = {
  type: 'RegisterOAuthApplication';
  applicationId: string;
  profileId: string;
  name: string;
  clientId: string;
  clientType: ClientType;
  redirectUris: string[];
  scopes: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
};

/** The owner reads the configuration once: the gateway makes the secret then and sends its hash. */
export type RevealClientCredentials = {
  type: 'RevealClientCredentials';
  applicationId: string;
  profileId: string;
  clientSecretHash: string | null;
};

/**
 * The current secret becomes the previous one and keeps authenticating for `graceSeconds` (absent in
 * commands sent before overlap existed: 0, refused at once); the owner reads a new one once.
 */
/** How long a rotated secret keeps authenticating, in seconds (DESIGN §8). */
export const CLIENT_SECRET_GRACE_SECONDS = { default: 86_400, min: 0, max: 604_800 } as const;

export type RotateClientSecret = { type: 'RotateClientSecret'; applicationId: string; profileId: string; graceSeconds?: number };
/** The previous secret stops authenticating before its grace period ends. */
export type RetirePreviousClientSecret = { type: 'RetirePreviousClientSecret'; applicationId: string; profileId: string };

/** What an update may change; absent fields keep their value. */
export type OAuthApplicationChanges = {
  name?: string;
  redirectUris?: string[];
  scopes?: string[];
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
};
export type UpdateOAuthApplication = { type: 'UpdateOAuthApplication'; applicationId: string; profileId: string; changes: OAuthApplicationChanges };
export type RevokeOAuthApplication = { type: 'RevokeOAuthApplication'; applicationId: string; profileId: string };
export type DeleteOAuthApplication = { type: 'DeleteOAuthApplication'; applicationId: string; profileId: string };

export type OAuthApplicationCommand =
  | RegisterOAuthApplication
  | RevealClientCredentials
  | RotateClientSecret
  | RetirePreviousClientSecret
  | UpdateOAuthApplication
  | RevokeOAuthApplication
  | DeleteOAuthApplication;
