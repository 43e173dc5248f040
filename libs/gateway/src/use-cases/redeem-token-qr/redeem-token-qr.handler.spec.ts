import { ErrorCodes } from '@platform/contracts';
import { redeemable } from './redeem-token-qr.command';

describe('redeem-token-qr', () => {
  const row = { qrTokenId: 'q-1', profileId: 'p-1', revokedAt: null };

  it('a known, unrevoked QR token may be redeemed (the token service decides whether it is used or expired)', () => {
    expect(redeemable(row)).toBe(row);
  });

  it('an unknown QR token is 400 token.qr_invalid', () => {
    expect(() => redeemable(undefined)).toThrow(expect.objectContaining({ status: 400, response: expect.objectContaining({ error: ErrorCodes.qrTokenInvalid }) }));
  });

  it('a QR token revoked by a password change is 400 token.qr_revoked', () => {
    expect(() => redeemable({ ...row, revokedAt: new Date() })).toThrow(expect.objectContaining({ status: 400, response: expect.objectContaining({ error: ErrorCodes.qrTokenRevoked }) }));
  });
});
