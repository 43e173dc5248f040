import { HttpException } from '@nestjs/common';
import { decodeCursor, encodeCursor } from './audit-cursor';

const refusal = (cursor: string) => {
  try {
    decodeCursor(cursor);
  } catch (error) {
    return { status: (error as HttpException).getStatus(), body: (error as HttpException).getResponse() };
  }
  return undefined;
};
const encoded = (text: string) => Buffer.from(text).toString('base64url');

describe('audit cursors', () => {
  it('round-trips the cursors the server writes, to the microsecond', () => {
    expect(decodeCursor(encodeCursor('2026-11-24T10:00:00.123456Z', '42'))).toEqual({ at: '2026-11-24T10:00:00.123456Z', id: '42' });
    expect(decodeCursor(encodeCursor('2026-11-24T10:00:00.123Z', '9223372036854775807'))).toEqual({ at: '2026-11-24T10:00:00.123Z', id: '9223372036854775807' });
    expect(decodeCursor(undefined)).toEqual({ at: '-infinity', id: '0' });
  });

  it.each([
    ['a year PostgreSQL cannot hold', '-271821-04-20T00:00:00.000Z|1'],
    ['year zero', '0000-01-01T00:00:00.000Z|1'],
    ['a day that does not exist', '2026-02-30T00:00:00.000Z|1'],
    ['a loosely parsed date', 'Jan 1 2020|1'],
    ['an offset instead of Z', '2026-01-01T00:00:00.000+01:00|1'],
    ['an id beyond bigint', '2026-01-01T00:00:00.000Z|9223372036854775808'],
    ['a negative id', '2026-01-01T00:00:00.000Z|-1'],
    ['id zero', '2026-01-01T00:00:00.000Z|0'],
    ['a leading zero', '2026-01-01T00:00:00.000Z|01'],
    ['no separator', '2026-01-01T00:00:00.000Z'],
    ['trailing data', '2026-01-01T00:00:00.000Z|1|2'],
  ])('refuses %s with 400 validation_error', (_, text) => {
    expect(refusal(encoded(text))).toMatchObject({ status: 400, body: { error: 'validation_error' } });
  });

  it('refuses what is not base64url at all', () => {
    expect(refusal('a+b/c=')).toMatchObject({ status: 400 });
    expect(refusal('')).toMatchObject({ status: 400 });
  });
});
