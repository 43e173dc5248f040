import { createHash } from 'node:crypto';
import { ErrorCodes } from '@platform/contracts';
import { alreadyRevealed, newClientSecret } from './reveal-credentials.command';

describe('reveal-credentials', () => {
  it('a confidential client gets 256 random URL-safe bits, and only their SHA-256 goes in the command', () => {
    const { clientSecret, clientSecretHash } = newClientSecret('confidential');
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(clientSecretHash).toBe(createHash('sha256').update(clientSecret!).digest('hex'));
    expect(clientSecretHash).not.toContain(clientSecret);
  });

  it('each reveal creates a new secret', () => {
    expect(newClientSecret('confidential').clientSecret).not.toBe(newClientSecret('confidential').clientSecret);
  });

  it('a public client has no secret', () => {
    expect(newClientSecret('public')).toEqual({ clientSecret: null, clientSecretHash: null });
  });

  it('a second read is 422 oauth.already_retrieved', () => {
    const error = alreadyRevealed();
    expect(error.getStatus()).toBe(422);
    expect(error.getResponse()).toMatchObject({ error: ErrorCodes.oauthAlreadyRetrieved });
  });
});
