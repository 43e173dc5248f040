import { ErrorCodes } from '@platform/contracts';
import { TooManyAttempts } from '../../http/brute-force';
import { signedIn } from './authenticate.command';

describe('authenticate', () => {
  const profile = { profileId: 'p-1', username: 'alice', passwordHash: '$argon2id$…' };

  it('an accepted password signs the profile in', () => {
    expect(signedIn({ outcome: 'accepted', profile })).toBe(profile);
  });

  it('a wrong password or an unknown username is 401 profile.invalid_credentials', () => {
    expect(() => signedIn({ outcome: 'rejected' })).toThrow(expect.objectContaining({ status: 401, response: expect.objectContaining({ error: ErrorCodes.profileInvalidCredentials }) }));
  });

  it('a throttled attempt is 429 with the seconds to wait', () => {
    expect(() => signedIn({ outcome: 'throttled', retryAfterSeconds: 8 })).toThrow(expect.objectContaining({ status: 429, retryAfterSeconds: 8 }));
    expect(() => signedIn({ outcome: 'throttled', retryAfterSeconds: 8 })).toThrow(TooManyAttempts);
  });
});
