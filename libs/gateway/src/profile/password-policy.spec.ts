import { ApiError } from '../http/errors';
import { assertStrongPassword } from './password-policy';

const refusal = (password: string, username?: string): ApiError => {
  try {
    assertStrongPassword(password, username);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the password to be refused');
};

describe('assertStrongPassword', () => {
  it('explains a weak password in English sentences', () => {
    const error = refusal('aaaaaaaaaaaa');
    expect(error.getResponse()).toMatchObject({
      error: 'profile.weak_password',
      message: 'Repeated characters like "aaa" are easy to guess.',
      details: { suggestions: expect.arrayContaining(['Avoid repeated words and characters.']) },
    });
  });

  it('accepts a long passphrase', () => {
    expect(() => assertStrongPassword('correct horse battery staple', 'alice')).not.toThrow();
  });
});
