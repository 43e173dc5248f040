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

export type RotateClientSecret = { type: 'RotateClientSecret'; applicationId: string; profileId: string };
export type RevokeOAuthApplication = { type: 'RevokeOAuthApplication'; applicationId: string; profileId: string };
export type DeleteOAuthApplication = { type: 'DeleteOAuthApplication'; applicationId: string; profileId: string };

export type OAuthApplicationCommand =
  | RegisterOAuthApplication
  | RevealClientCredentials
  | RotateClientSecret
  | RevokeOAuthApplication
  | DeleteOAuthApplication;
