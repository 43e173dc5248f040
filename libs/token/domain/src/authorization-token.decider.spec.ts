import { ErrorCodes, type TokenEvent } from '@platform/contracts';
import { deciderSpec } from '@platform/service-runtime';
import { decide, evolve, initialState } from './authorization-token.decider';

const now = '2026-02-21T15:33:44.000Z';
const later = '2026-02-22T15:33:44.000Z';
const spec = deciderSpec({ decide, evolve, initialState }, { now });
const expired = deciderSpec({ decide, evolve, initialState }, { now: '2026-03-01T00:00:00.000Z' });

const issued = (tokenId: string, via: 'password' | 'qr-token' | 'reauthorization' = 'password'): TokenEvent => ({
  type: 'AuthorizationTokenIssued',
  profileId: 'p-1',
  tokenId,
  tokenHash: `h-${tokenId}`,
  issuedAt: now,
  expiresAt: later,
  via,
});
const revoked = (tokenId: string, reason: 'revoked' | 'reauthorized' | 'password-changed' = 'revoked'): TokenEvent => ({
  type: 'AuthorizationTokenRevoked',
  profileId: 'p-1',
  tokenId,
  tokenHash: `h-${tokenId}`,
  revokedAt: now,
  reason,
});
const qrIssued: TokenEvent = { type: 'QrTokenIssued', profileId: 'p-1', qrTokenId: 'q-1', qrTokenHash: 'qh', issuedAt: now, expiresAt: '2026-02-21T15:35:44.000Z' };
const redeem = { type: 'RedeemQrToken' as const, profileId: 'p-1', qrTokenId: 'q-1', tokenId: 't-9', tokenHash: 'h-t-9', expiresAt: later };

describe('profile authorization tokens decider', () => {
  describe('IssueAuthorizationToken', () => {
    const issue = { type: 'IssueAuthorizationToken' as const, profileId: 'p-1', tokenId: 't-1', tokenHash: 'h-t-1', expiresAt: later };
    it('issues a token', () => spec.given([]).when(issue).then([issued('t-1')]));
    it('never issues the same token id twice', () => spec.given([issued('t-1')]).when(issue).thenRejects(ErrorCodes.tokenAlreadyIssued));
  });

  describe('ReauthorizeAuthorizationToken', () => {
    const reauthorize = { type: 'ReauthorizeAuthorizationToken' as const, profileId: 'p-1', currentTokenId: 't-1', tokenId: 't-2', tokenHash: 'h-t-2', expiresAt: later };
    it('revokes the current token and issues a new one, atomically', () =>
      spec.given([issued('t-1')]).when(reauthorize).then([revoked('t-1', 'reauthorized'), issued('t-2', 'reauthorization')]));
    it('refuses a revoked current token', () => spec.given([issued('t-1'), revoked('t-1')]).when(reauthorize).thenRejects(ErrorCodes.tokenNotActive));
    it('refuses an expired current token', () => expired.given([issued('t-1')]).when(reauthorize).thenRejects(ErrorCodes.tokenNotActive));
  });

  describe('RevokeAuthorizationToken', () => {
    const revoke = { type: 'RevokeAuthorizationToken' as const, profileId: 'p-1', tokenId: 't-1' };
    it('revokes an active token', () => spec.given([issued('t-1')]).when(revoke).then([revoked('t-1')]));
    it('refuses to revoke a revoked token', () => spec.given([issued('t-1'), revoked('t-1')]).when(revoke).thenRejects(ErrorCodes.tokenNotActive));
    it('refuses to revoke an unknown token', () => spec.given([]).when(revoke).thenRejects(ErrorCodes.tokenNotActive));
  });

  describe('RevokeOtherAuthorizationTokens', () => {
    it('revokes every live token but the one kept', () =>
      spec
        .given([issued('t-1'), issued('t-2'), issued('t-3'), revoked('t-3')])
        .when({ type: 'RevokeOtherAuthorizationTokens', profileId: 'p-1', keepTokenId: 't-2' })
        .then([revoked('t-1', 'password-changed')]));
    it('does nothing when no other token is live', () =>
      spec.given([issued('t-1')]).when({ type: 'RevokeOtherAuthorizationTokens', profileId: 'p-1', keepTokenId: 't-1' }).then([]));
  });

  describe('QR tokens', () => {
    it('issues a QR token', () =>
      spec
        .given([issued('t-1')])
        .when({ type: 'IssueQrToken', profileId: 'p-1', qrTokenId: 'q-1', qrTokenHash: 'qh', expiresAt: '2026-02-21T15:35:44.000Z' })
        .then([qrIssued]));
    it('redeems a QR token once for a new authorization token', () =>
      spec
        .given([qrIssued])
        .when(redeem)
        .then([
          { type: 'QrTokenRedeemed', profileId: 'p-1', qrTokenId: 'q-1', qrTokenHash: 'qh', tokenId: 't-9', redeemedAt: now },
          issued('t-9', 'qr-token'),
        ]));
    it('refuses a second redemption', () =>
      spec
        .given([qrIssued, { type: 'QrTokenRedeemed', profileId: 'p-1', qrTokenId: 'q-1', qrTokenHash: 'qh', tokenId: 't-9', redeemedAt: now }])
        .when({ ...redeem, tokenId: 't-10' })
        .thenRejects(ErrorCodes.qrTokenAlreadyRedeemed));
    it('refuses an expired QR token', () => expired.given([qrIssued]).when(redeem).thenRejects(ErrorCodes.qrTokenExpired));
    it('refuses an unknown QR token', () => spec.given([]).when(redeem).thenRejects(ErrorCodes.qrTokenInvalid));
  });
});
