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
const qrExpiry = '2026-02-21T15:35:44.000Z';
const qrIssuedBy = (qrTokenId: string, authorizationTokenId: string | null, issuedAt = now, expiresAt = qrExpiry): TokenEvent => ({
  type: 'QrTokenIssued',
  profileId: 'p-1',
  qrTokenId,
  qrTokenHash: `qh-${qrTokenId}`,
  issuedAt,
  expiresAt,
  authorizationTokenId,
});
const qrIssued = qrIssuedBy('q-1', 't-1');
const qrRevoked = (qrTokenId: string, reason: 'password-changed' | 'authorization-token-revoked' | 'authorization-token-reauthorized'): TokenEvent => ({
  type: 'QrTokenRevoked',
  profileId: 'p-1',
  qrTokenId,
  qrTokenHash: `qh-${qrTokenId}`,
  revokedAt: now,
  reason,
});
const qrRedeemed: TokenEvent = { type: 'QrTokenRedeemed', profileId: 'p-1', qrTokenId: 'q-1', qrTokenHash: 'qh-q-1', tokenId: 't-9', redeemedAt: now };
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
        .when({ type: 'IssueQrToken', profileId: 'p-1', authorizationTokenId: 't-1', qrTokenId: 'q-1', qrTokenHash: 'qh-q-1', expiresAt: qrExpiry })
        .then([qrIssued]));
    it('redeems a QR token once for a new authorization token', () =>
      spec
        .given([qrIssued])
        .when(redeem)
        .then([qrRedeemed, issued('t-9', 'qr-token')]));
    it('refuses a second redemption', () =>
      spec.given([qrIssued, qrRedeemed]).when({ ...redeem, tokenId: 't-10' }).thenRejects(ErrorCodes.qrTokenAlreadyRedeemed));
    it('refuses a revoked QR token', () =>
      spec.given([issued('t-1'), qrIssued, qrRevoked('q-1', 'password-changed')]).when(redeem).thenRejects(ErrorCodes.qrTokenRevoked));
    it('redeems a QR token issued before the generating token was recorded (v1 event)', () =>
      spec.given([qrIssuedBy('q-1', null)]).when(redeem).then([qrRedeemed, issued('t-9', 'qr-token')]));
  });

  describe('QR tokens die with their authorization token and with the password', () => {
    const changed = { type: 'RevokeOtherAuthorizationTokens' as const, profileId: 'p-1', keepTokenId: 't-1', changedAt: now };
    it('revoking a token revokes the outstanding QR tokens it generated, and only those', () =>
      spec
        .given([issued('t-1'), issued('t-2'), qrIssuedBy('q-1', 't-1'), qrIssuedBy('q-2', 't-2'), qrIssuedBy('q-3', 't-1')])
        .when({ type: 'RevokeAuthorizationToken', profileId: 'p-1', tokenId: 't-1' })
        .then([revoked('t-1'), qrRevoked('q-1', 'authorization-token-revoked'), qrRevoked('q-3', 'authorization-token-revoked')]));
    it('reauthorizing a token revokes the QR tokens it generated', () =>
      spec
        .given([issued('t-1'), qrIssued])
        .when({ type: 'ReauthorizeAuthorizationToken', profileId: 'p-1', currentTokenId: 't-1', tokenId: 't-2', tokenHash: 'h-t-2', expiresAt: later })
        .then([revoked('t-1', 'reauthorized'), issued('t-2', 'reauthorization'), qrRevoked('q-1', 'authorization-token-reauthorized')]));
    it('leaves redeemed, revoked and expired QR tokens alone', () =>
      spec
        .given([issued('t-1'), qrIssued, qrRedeemed, qrIssuedBy('q-2', 't-1'), qrRevoked('q-2', 'password-changed'), qrIssuedBy('q-3', 't-1', '2026-02-21T15:00:00.000Z', '2026-02-21T15:02:00.000Z')])
        .when({ type: 'RevokeAuthorizationToken', profileId: 'p-1', tokenId: 't-1' })
        .then([revoked('t-1')]));
    it('a password change revokes every outstanding QR token, even those of the token kept', () =>
      spec
        .given([issued('t-1'), issued('t-2'), qrIssuedBy('q-1', 't-1'), qrIssuedBy('q-2', 't-2'), qrIssuedBy('q-3', null)])
        .when(changed)
        .then([revoked('t-2', 'password-changed'), qrRevoked('q-1', 'password-changed'), qrRevoked('q-2', 'password-changed'), qrRevoked('q-3', 'password-changed')]));
    it('a password change spares QR tokens issued after it', () =>
      spec
        .given([issued('t-1'), qrIssuedBy('q-1', 't-1', '2026-02-21T15:33:45.000Z')])
        .when({ ...changed, changedAt: '2026-02-21T15:33:40.000Z' })
        .then([]));
    it('refuses an expired QR token', () => expired.given([qrIssued]).when(redeem).thenRejects(ErrorCodes.qrTokenExpired));
    it('refuses an unknown QR token', () => spec.given([]).when(redeem).thenRejects(ErrorCodes.qrTokenInvalid));
  });
});
