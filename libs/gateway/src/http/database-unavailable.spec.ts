import { isDatabaseUnavailable } from './database-unavailable';

const pgError = (code: string) => Object.assign(new Error('x'), { code });

describe('isDatabaseUnavailable', () => {
  it.each(['57P01', '57P02', '57P03', '08006', '08001', '08P01', 'ECONNREFUSED', 'ECONNRESET'])('is true for %s', (code) => {
    expect(isDatabaseUnavailable(pgError(code))).toBe(true);
  });

  it('knows pg and pg-pool messages and looks inside aggregate errors and causes', () => {
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([pgError('ECONNREFUSED')]))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: pgError('57P01') }))).toBe(true);
  });

  it('is false for errors of the query or the program', () => {
    for (const code of ['23505', '42P01', '40001', '57014']) expect(isDatabaseUnavailable(pgError(code))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('undefined is not a function'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
