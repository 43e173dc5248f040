import { HttpException } from '@nestjs/common';
import { jsonNestsDeeperThan, MAX_FORM_FIELDS, parseForm } from './body-parsers';

describe('body parsers', () => {
  describe('JSON depth', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

    it('counts objects and arrays, up to the limit inclusive', () => {
      expect(jsonNestsDeeperThan(nested(32), 32)).toBe(false);
      expect(jsonNestsDeeperThan(nested(33), 32)).toBe(true);
      expect(jsonNestsDeeperThan(`{"a":${'{"b":'.repeat(40)}1${'}'.repeat(40)}}`, 32)).toBe(true);
      expect(jsonNestsDeeperThan('[[1],[2],[3],{"a":[4]}]', 3)).toBe(false);
      expect(jsonNestsDeeperThan('[[1],[2],[3],{"a":[4]}]', 2)).toBe(true);
    });

    it('ignores brackets inside strings, escaped quotes included', () => {
      expect(jsonNestsDeeperThan(JSON.stringify({ a: '[[[[[[{{{{' }), 1)).toBe(false);
      expect(jsonNestsDeeperThan(JSON.stringify({ a: 'quote " then [[[[', b: '\\' }), 1)).toBe(false);
      expect(jsonNestsDeeperThan(`["\\\\",[[[]]]]`, 3)).toBe(true);
    });

    it('scans a million levels without recursion', () => {
      expect(jsonNestsDeeperThan('['.repeat(1_000_000), 32)).toBe(true);
    });
  });

  describe('form bodies', () => {
    it('keeps single fields as strings and repeated ones as arrays', () => {
      expect({ ...parseForm('a=1&b=x+y&a=2&a=3&c=%E2%9C%93') }).toEqual({ a: ['1', '2', '3'], b: 'x y', c: '✓' });
    });

    it('refuses too many fields and prototype keys with 400 malformed_body', () => {
      const refusal = (text: string) => {
        try {
          parseForm(text);
        } catch (error) {
          return { status: (error as HttpException).getStatus(), body: (error as HttpException).getResponse() };
        }
        return undefined;
      };
      expect(refusal(Array.from({ length: MAX_FORM_FIELDS + 1 }, (_, i) => `f${i}=1`).join('&'))).toMatchObject({ status: 400, body: { error: 'malformed_body' } });
      expect(refusal(Array.from({ length: MAX_FORM_FIELDS }, (_, i) => `f${i}=1`).join('&'))).toBeUndefined();
      for (const key of ['__proto__', 'constructor', 'prototype']) expect(refusal(`${key}=1`)).toMatchObject({ status: 400 });
    });
  });
});
