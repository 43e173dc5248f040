import { createHash } from 'node:crypto';
import { ErrorCodes } from '@platform/contracts';
import type { OAuthApplicationRow } from '../../read-models/oauth-applications.projection';
import { requestAuthorizationCode, RequestAuthorizationCodeCommand } from './request-authorization-code.command';

const application = {
  applicationId: 'app-1',
  profileId: 'owner-1',
  clientId: 'client-1',
  scopes: ['profile:read', 'oauth-app:read'],
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 3600,
  status: 'active',
} as OAuthApplicationRow;

describe('request-authorization-code', () => {
  const request = new RequestAuthorizationCodeCommand('p-1', 'client-1', 'nonce-0123456789', ['profile:read']);

  it('records the request for the application, with only the nonce’s hash', () => {
    const command = requestAuthorizationCode('g-1', request, application);
    expect(command).toEqual({
      type: 'RequestAuthorizationCode',
      grantId: 'g-1',
      profileId: 'p-1',
      application: { applicationId: 'app-1', clientId: 'client-1', ownerProfileId: 'owner-1', scopes: ['profile:read', 'oauth-app:read'], accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 3600 },
      nonceHash: createHash('sha256').update('nonce-0123456789').digest('hex'),
      scopes: ['profile:read'],
    });
    expect(JSON.stringify(command)).not.toContain('nonce-0123456789');
  });

  it.each([
    ['unknown', undefined],
    ['revoked', { ...application, status: 'revoked' } as OAuthApplicationRow],
  ])('an %s client_id is 400 oauth.application_not_found', (_, row) => {
    expect(() => requestAuthorizationCode('g-1', request, row)).toThrow(
      expect.objectContaining({ status: 400, response: expect.objectContaining({ error: ErrorCodes.oauthApplicationNotFound }) }),
    );
  });
});
