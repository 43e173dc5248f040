import { createHash } from 'node:crypto';
import { ErrorCodes } from '@platform/contracts';
import type { GrantRow } from '../../read-models/grants.projection';
import { retrievable } from './retrieve-authorization-code.command';

const grant: GrantRow = {
  grantId: 'g-1',
  applicationId: 'app-1',
  clientId: 'client-1',
  profileId: 'p-1',
  scopes: ['profile:read'],
  nonceHash: createHash('sha256').update('nonce-1').digest('hex'),
  status: 'requested',
  codeExpiresAt: '2030-01-01T00:00:00.000Z',
};

const refusal = (row: GrantRow | undefined, clientId = 'client-1', nonce = 'nonce-1') => {
  try {
    retrievable(row, clientId, nonce);
  } catch (error) {
    return error as { status: number; response: { error: string } };
  }
  return undefined;
};

describe('retrieve-authorization-code', () => {
  it('the requesting client with the request’s nonce may collect the code once', () => {
    expect(retrievable(grant, 'client-1', 'nonce-1')).toMatchObject({ grantId: 'g-1', profileId: 'p-1' });
  });

  it('an unknown request, or another client’s, is 404 not_found', () => {
    expect(refusal(undefined)).toMatchObject({ status: 404, response: { error: ErrorCodes.notFound } });
    expect(refusal(grant, 'client-2')).toMatchObject({ status: 404, response: { error: ErrorCodes.notFound } });
  });

  it('a wrong nonce is 400 oauth.invalid_nonce, checked before whether the code was already taken', () => {
    expect(refusal(grant, 'client-1', 'other')).toMatchObject({ status: 400, response: { error: ErrorCodes.oauthInvalidNonce } });
    expect(refusal({ ...grant, status: 'code-issued' }, 'client-1', 'other')).toMatchObject({ response: { error: ErrorCodes.oauthInvalidNonce } });
  });

  it('a code already issued is 422 oauth.already_retrieved', () => {
    expect(refusal({ ...grant, status: 'code-issued' })).toMatchObject({ status: 422, response: { error: ErrorCodes.oauthAlreadyRetrieved } });
    expect(refusal({ ...grant, status: 'revoked' })).toMatchObject({ status: 422 });
  });
});
