import { changePassword } from './change-password.command';

describe('change-password', () => {
  const principal = { profileId: 'p-1', tokenId: 't-1', expiresAt: '2030-01-01T00:00:00.000Z' };
  const current = { profileId: 'p-1', username: 'alice', passwordHash: 'old-hash' };

  it('a verified current password: the command carries the hash it was checked against and keeps the presented token', () => {
    expect(changePassword(principal, current, true, 'new-hash')).toEqual({
      type: 'ChangePassword',
      profileId: 'p-1',
      currentPasswordVerified: true,
      verifiedAgainstHash: 'old-hash',
      newPasswordHash: 'new-hash',
      keepAuthorizationTokenId: 't-1',
    });
  });

  it('a wrong current password is still sent, unverified, so the decider rejects it on the record', () => {
    expect(changePassword(principal, current, false, 'new-hash')).toMatchObject({ currentPasswordVerified: false });
    expect(changePassword(principal, undefined, false, 'new-hash')).toMatchObject({ verifiedAgainstHash: '' });
  });
});
