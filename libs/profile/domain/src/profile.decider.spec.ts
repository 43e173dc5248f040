import { ErrorCodes, type ProfileEvent } from '@platform/contracts';
import { deciderSpec } from '@platform/service-runtime';
import { decide, evolve, initialState, profileAggregate } from './profile.decider';

const now = '2026-02-21T15:33:44.000Z';
const spec = deciderSpec({ decide, evolve, initialState }, { now });
const registered: ProfileEvent = {
  type: 'ProfileRegistered',
  profileId: 'p-1',
  username: 'Alice',
  passwordHash: 'hash-1',
  registeredAt: '2026-01-01T00:00:00.000Z',
};

describe('profile decider', () => {
  describe('RegisterProfile', () => {
    it('registers a new profile', () =>
      spec
        .given([])
        .when({ type: 'RegisterProfile', profileId: 'p-1', username: 'Alice', passwordHash: 'hash-1' })
        .then([{ ...registered, registeredAt: now }]));

    it('refuses to register the same profile twice', () =>
      spec
        .given([registered])
        .when({ type: 'RegisterProfile', profileId: 'p-1', username: 'Alice', passwordHash: 'hash-1' })
        .thenRejects(ErrorCodes.profileAlreadyRegistered));

    it('claims the username case-insensitively', () =>
      expect(profileAggregate.claimsFor!(registered)).toEqual([
        { scope: 'profile.username', value: 'alice', rejectionReason: ErrorCodes.profileUsernameTaken },
      ]));
  });

  describe('ChangePassword', () => {
    const change = { type: 'ChangePassword' as const, profileId: 'p-1', newPasswordHash: 'hash-2', keepAuthorizationTokenId: 't-1' };

    it('changes the password when the current one was verified against the current hash', () =>
      spec
        .given([registered])
        .when({ ...change, currentPasswordVerified: true, verifiedAgainstHash: 'hash-1' })
        .then([{ type: 'PasswordChanged', profileId: 'p-1', passwordHash: 'hash-2', changedAt: now, keepAuthorizationTokenId: 't-1' }]));

    it('rejects a wrong current password', () =>
      spec
        .given([registered])
        .when({ ...change, currentPasswordVerified: false, verifiedAgainstHash: 'hash-1' })
        .thenRejects(ErrorCodes.profileInvalidPassword));

    it('rejects a verification made against a password that has changed since', () =>
      spec
        .given([registered, { type: 'PasswordChanged', profileId: 'p-1', passwordHash: 'hash-3', changedAt: now, keepAuthorizationTokenId: null }])
        .when({ ...change, currentPasswordVerified: true, verifiedAgainstHash: 'hash-1' })
        .thenRejects(ErrorCodes.profileInvalidPassword));

    it('rejects a change for a profile that does not exist', () =>
      spec
        .given([])
        .when({ ...change, currentPasswordVerified: true, verifiedAgainstHash: 'hash-1' })
        .thenRejects(ErrorCodes.profileNotFound));
  });
});
