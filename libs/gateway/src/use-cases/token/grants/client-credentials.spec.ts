import { ErrorCodes } from '@platform/contracts';
import type { MintedTokens } from '../../../oauth/token-issuer';
import type { OAuthApplicationRow } from '../../../read-models/oauth-applications.projection';
import { clientCredentialsRequest } from './client-credentials';

const client = {
  applicationId: 'app-1',
  profileId: 'owner-1',
  clientId: 'client-1',
  clientType: 'confidential',
  scopes: ['read', 'write'],
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 3600,
} as OAuthApplicationRow;

const minted: MintedTokens = {
  refreshToken: null,
  commandTokens: { accessTokenId: 'jti-1', accessTokenExpiresAt: '2030-01-01T00:00:00.000Z', refreshTokenHash: null, refreshTokenExpiresAt: null },
};

describe('client_credentials grant', () => {
  it('without scope, the token carries all the application’s scopes and the command asks for none', () => {
    const { command, granted } = clientCredentialsRequest(client, undefined, 'grant-1', minted);
    expect(granted).toEqual(['read', 'write']);
    expect(command).toEqual({
      type: 'IssueClientCredentialsToken',
      grantId: 'grant-1',
      application: { applicationId: 'app-1', clientId: 'client-1', ownerProfileId: 'owner-1', scopes: ['read', 'write'], accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 3600 },
      scopes: [],
      tokens: minted.commandTokens,
    });
  });

  it('a space- or comma-separated scope narrows the token', () => {
    expect(clientCredentialsRequest(client, 'read', 'g', minted).granted).toEqual(['read']);
    expect(clientCredentialsRequest(client, 'read,write', 'g', minted).command.scopes).toEqual(['read', 'write']);
    expect(clientCredentialsRequest(client, 'read write', 'g', minted).command.scopes).toEqual(['read', 'write']);
  });

  it('a public client is refused with unauthorized_client', () => {
    expect(() => clientCredentialsRequest({ ...client, clientType: 'public' }, undefined, 'g', minted)).toThrow(
      expect.objectContaining({ response: expect.objectContaining({ error: ErrorCodes.oauthUnauthorizedClient }) }),
    );
  });

  it('no refresh token and no secret: only the minted access token id goes in the command', () => {
    expect(clientCredentialsRequest(client, undefined, 'g', minted).command.tokens.refreshTokenHash).toBeNull();
  });
});
