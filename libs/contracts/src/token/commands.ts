/** Commands of the token context. The gateway generates a token and sends only its SHA-256 hash. */
export type IssueAuthorizationToken = {
  type: 'IssueAuthorizationToken';
  tokenId: string;
  profileId: string;
  tokenHash: string;
  expiresAt: string;
};

export type RevokeAuthorizationToken = {
  type: 'RevokeAuthorizationToken';
  tokenId: string;
};

export type TokenCommand = IssueAuthorizationToken | RevokeAuthorizationToken;
