import { isStorableText, unstorableTextAt } from './storable-text';

describe('storable text', () => {
  it('refuses NUL and lone surrogates, accepts every other well-formed string', () => {
    expect(isStorableText('plain ✓ 😀')).toBe(true);
    expect(isStorableText('')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\ud800')).toBe(false);
    expect(isStorableText('x\udfffy')).toBe(false);
    expect(isStorableText('\ud83d\ude00')).toBe(true);
  });

  it('names the path of the first unstorable value or key, anywhere in a structure', () => {
    expect(unstorableTextAt({ a: ['ok', { b: 1, c: null, d: true }] }, 'body')).toBeUndefined();
    expect(unstorableTextAt({ a: ['ok', { b: 'x\u0000' }] }, 'body')).toBe('body.a.1.b');
    expect(unstorableTextAt({ a: { '\ud800': 1 } }, 'body')).toBe('body.a');
    expect(unstorableTextAt('\u0000', 'query')).toBe('query');
    expect(unstorableTextAt(undefined, 'body')).toBeUndefined();
    expect(unstorableTextAt(Buffer.from([0, 0xff]), 'body')).toBeUndefined();
  });

  it('walks thousands of levels without recursion', () => {
    let deep: unknown = 'a\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unstorableTextAt(deep, 'body')).toMatch(/^body(\.0)+$/);
  });
});
