import * as argon2 from 'argon2';
import { ErrorCodes } from '@platform/contracts';
import { registerProfile } from './register-profile.command';

describe('register-profile', () => {
  it('sends an argon2id hash of the password, never the password', async () => {
    const command = await registerProfile('p-1', 'alice', 'correct horse battery staple');
    expect(command).toMatchObject({ type: 'RegisterProfile', profileId: 'p-1', username: 'alice' });
    expect(command.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(command)).not.toContain('correct horse');
    await expect(argon2.verify(command.passwordHash, 'correct horse battery staple')).resolves.toBe(true);
  });

  it('refuses a guessable password, or one built on the username, with 400 profile.weak_password', async () => {
    await expect(registerProfile('p-1', 'alice', 'password1234')).rejects.toMatchObject({ status: 400, response: { error: ErrorCodes.profileWeakPassword } });
    await expect(registerProfile('p-1', 'alicealicealice', 'alicealicealice1')).rejects.toMatchObject({ response: { error: ErrorCodes.profileWeakPassword } });
  });
});
