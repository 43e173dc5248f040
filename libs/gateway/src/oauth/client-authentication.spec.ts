import { createHash } from 'node:crypto';
import { secretMatches } from './client-authentication';

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const expiresAt = '2026-02-22T12:00:00.000Z';
const before = Date.parse(expiresAt) - 1;
const rotated = { clientSecretHash: hash('new'), previousSecretHash: hash('old'), previousSecretExpiresAt: expiresAt };

describe('secretMatches: the current secret, or the previous one during its grace period', () => {
  it('accepts the current secret at any time', () => {
    expect(secretMatches(rotated, 'new', before)).toBe(true);
    expect(secretMatches(rotated, 'new', Date.parse(expiresAt) + 86_400_000)).toBe(true);
  });

  it('accepts the previous secret until the grace period ends, judged at the request time', () => {
    expect(secretMatches(rotated, 'old', before)).toBe(true);
    expect(secretMatches(rotated, 'old', Date.parse(expiresAt))).toBe(false);
  });

  it('accepts the previous secret while the new one has not been read yet', () => {
    expect(secretMatches({ ...rotated, clientSecretHash: null }, 'old', before)).toBe(true);
  });

  it('refuses anything else, and the previous secret once retired', () => {
    expect(secretMatches(rotated, 'other', before)).toBe(false);
    expect(secretMatches({ ...rotated, previousSecretHash: null, previousSecretExpiresAt: null }, 'old', before)).toBe(false);
    expect(secretMatches({ clientSecretHash: null, previousSecretHash: null, previousSecretExpiresAt: null }, 'new', before)).toBe(false);
  });
});
