import { ErrorCodes } from '@platform/contracts';
import { redeemable } from './redeem-token-qr.command';

describe('redeem-token-qr', () => {
  const now = new Date('2026-11-24T10:00:00Z');
  const row = { qrTokenId: 'q-1', profileId: 'p-1', revokedAt: null, redeemedAt: null, expiresAt: new Date('2026-11-24T10:02:00Z') };

  it('a known, unrevoked QR token may be redeemed (the token service decides whether it is used or expired)', () => {
    expect(redeemable(row, now)).toBe(row);
  });

  it('an unknown QR token is 400 token.qr_invalid', () => {
    expect(() => redeemable(undefined, now)).toThrow(expect.objectContaining({ status: 400, response: expect.objectContaining({ error: ErrorCodes.qrTokenInvalid }) }));
  });

  it('a QR token revoked by a password change is 400 token.qr_revoked', () => {
    expect(() => redeemable({ ...row, revokedAt: new Date() }, now)).toThrow(expect.objectContaining({ status: 400, response: expect.objectContaining({ error: ErrorCodes.qrTokenRevoked }) }));
  });

  it('a used or expired QR token is 400 token.qr_already_redeemed, decided without a command', () => {
    const refused = expect.objectContaining({ status: 400, response: expect.objectContaining({ error: ErrorCodes.qrTokenAlreadyRedeemed }) });
    expect(() => redeemable({ ...row, redeemedAt: new Date('2026-11-24T09:59:00Z') }, now)).toThrow(refused);
    expect(() => redeemable({ ...row, expiresAt: now }, now)).toThrow(refused);
  });
});
