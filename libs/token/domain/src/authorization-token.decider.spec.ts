import { ErrorCodes, type TokenEvent } from '@platform/contracts';
import { deciderSpec } from '@platform/service-runtime';
import { decide, evolve, initialState } from './authorization-token.decider';

const now = '2026-02-21T15:33:44.000Z';
const spec = deciderSpec({ decide, evolve, initialState }, { now });
const issue = { type: 'IssueAuthorizationToken' as const, tokenId: 't-1', profileId: 'p-1', tokenHash: 'h', expiresAt: '2026-02-22T15:33:44.000Z' };
const issued: TokenEvent = { type: 'AuthorizationTokenIssued', tokenId: 't-1', profileId: 'p-1', tokenHash: 'h', issuedAt: now, expiresAt: issue.expiresAt };

describe('authorization token decider', () => {
  it('issues a token', () => spec.given([]).when(issue).then([issued]));
  it('never issues the same token twice', () => spec.given([issued]).when(issue).thenRejects(ErrorCodes.tokenAlreadyIssued));
  it('revokes an active token', () =>
    spec
      .given([issued])
      .when({ type: 'RevokeAuthorizationToken', tokenId: 't-1' })
      .then([{ type: 'AuthorizationTokenRevoked', tokenId: 't-1', profileId: 'p-1', tokenHash: 'h', revokedAt: now }]));
  it('refuses to revoke a revoked token', () =>
    spec
      .given([issued, { type: 'AuthorizationTokenRevoked', tokenId: 't-1', profileId: 'p-1', tokenHash: 'h', revokedAt: now }])
      .when({ type: 'RevokeAuthorizationToken', tokenId: 't-1' })
      .thenRejects(ErrorCodes.tokenRevoked));
  it('refuses to revoke an unknown token', () =>
    spec.given([]).when({ type: 'RevokeAuthorizationToken', tokenId: 't-9' }).thenRejects(ErrorCodes.tokenNotFound));
});
