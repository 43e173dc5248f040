import { canonicalJson, idempotencyScope, isValidIdempotencyKey, requestFingerprint } from './idempotency-key';

const key = new Uint8Array(32).fill(7);
const shape = (body: unknown, path = '/profile/register-profile') => ({ method: 'POST', path, query: {}, body });

describe('Idempotency-Key', () => {
  it('accepts 1–255 visible ASCII characters and nothing else', () => {
    expect(isValidIdempotencyKey('a')).toBe(true);
    expect(isValidIdempotencyKey('~'.repeat(255))).toBe(true);
    expect(isValidIdempotencyKey('')).toBe(false);
    expect(isValidIdempotencyKey('x'.repeat(256))).toBe(false);
    expect(isValidIdempotencyKey('has space')).toBe(false);
    expect(isValidIdempotencyKey('tab\t')).toBe(false);
    expect(isValidIdempotencyKey('é')).toBe(false);
    expect(isValidIdempotencyKey(['a', 'b'])).toBe(false);
  });

  it('canonicalises key order at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: undefined, e: null })).toBe('{"b":[{"c":2,"d":1}],"e":null}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('fingerprints the same request alike and a different body, path or method differently', () => {
    const first = requestFingerprint(shape({ username: 'ann', password: 'p' }), key);
    expect(requestFingerprint(shape({ password: 'p', username: 'ann' }), key)).toBe(first);
    expect(requestFingerprint(shape({ username: 'ann', password: 'q' }), key)).not.toBe(first);
    expect(requestFingerprint(shape({ username: 'ann', password: 'p' }, '/profile/change-password'), key)).not.toBe(first);
    expect(requestFingerprint({ ...shape({ username: 'ann', password: 'p' }), method: 'PATCH' }, key)).not.toBe(first);
    expect(requestFingerprint(shape({ username: 'ann', password: 'p' }), new Uint8Array(32))).not.toBe(first);
  });

  it('scopes a key to the caller', () => {
    expect(idempotencyScope(undefined)).toBe('anonymous');
    expect(idempotencyScope({ kind: 'profile', profileId: 'p1' } as never)).toBe('profile:p1');
    expect(idempotencyScope({ kind: 'application', profileId: 'p1', applicationId: 'a1' } as never)).toBe('application:a1:p1');
  });
});
