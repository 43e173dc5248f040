import { Pool } from 'pg';
import { loadConfig } from '@platform/config';
import { migrateSchema } from '@platform/event-store';
import { uniqueName } from '@platform/testing';
import { GATEWAY_MIGRATIONS } from '../migrations';
import { BruteForceLimits } from './brute-force';

describe('brute-force limits (real PostgreSQL, two replicas)', () => {
  const schema = uniqueName('limits');
  const config = loadConfig({ AUTH_FREE_FAILURES: '3', AUTH_ATTEMPTS_PER_CLIENT: '4', AUTH_MAX_DELAY_SECONDS: '60' });
  let pool: Pool;
  let first: BruteForceLimits;
  let second: BruteForceLimits;

  beforeAll(async () => {
    pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 8 });
    first = new BruteForceLimits(pool, schema, config);
    second = new BruteForceLimits(pool, schema, config);
    await migrateSchema({ databaseUrl: process.env.DATABASE_URL!, schema, migrations: GATEWAY_MIGRATIONS });
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  // Each attempt from its own address: only the username's budget is in play.
  let address = 0;
  const usernameAttempt = async (limits: BruteForceLimits, username: string) => (await limits.attempt(`198.51.100.${(address += 1) % 250}:${address}`, username)).wait;
  const burst = (username: string, size: number) => Promise.all(Array.from({ length: size }, (_, n) => usernameAttempt(n % 2 === 0 ? first : second, username)));

  it('lets exactly the free failures through a parallel burst on both replicas, then makes the rest wait', async () => {
    const waits = await burst('Burst.User', 20);
    expect(waits.filter((wait) => wait === undefined)).toHaveLength(3);
    expect(waits.filter((wait) => wait === 1)).toHaveLength(17);
  });

  it('counts the username regardless of case, and a success clears the count', async () => {
    expect(await burst('Case.User', 3)).toEqual([undefined, undefined, undefined]);
    expect(await usernameAttempt(second, 'case.user')).toBe(1);
    await first.succeeded('CASE.USER');
    expect(await burst('case.user', 3)).toEqual([undefined, undefined, undefined]);
  });

  it('shares the per-client budget between replicas', async () => {
    const waits = [];
    for (let n = 0; n < 5; n += 1) waits.push(await (n % 2 === 0 ? first : second).clientAttempt('192.0.2.7'));
    expect(waits.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(waits[4]).toBeGreaterThan(0);
    expect(await first.clientAttempt('192.0.2.8')).toBeUndefined();
  });

  it('claims the client and username budgets together; a spent client budget leaves the username untouched', async () => {
    const waits = [];
    for (let n = 0; n < 5; n += 1) waits.push((await (n % 2 === 0 ? first : second).attempt('192.0.2.9', `Both.User${n < 2 ? '' : n}`)).wait);
    // Both.User: 2 of its 3 free failures; the fifth attempt is the client's fifth of 4.
    expect(waits.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(waits[4]).toBeGreaterThan(0);
    const { rows } = await pool.query(`SELECT key, points FROM "${schema}".rate_limits WHERE key LIKE 'free:%'`);
    expect(rows.filter((row) => row.points === 2)).toHaveLength(1);
    expect((await first.attempt('192.0.2.10', 'both.user')).wait).toBeUndefined();
    expect((await second.attempt('192.0.2.10', 'both.user')).wait).toBe(1);
    await first.succeeded('BOTH.USER');
    expect((await first.attempt('192.0.2.10', 'Both.User')).wait).toBeUndefined();
    expect((await first.attempt('192.0.2.11', 'Both.User')).wait).toBeUndefined();
  });

  it('evaluates a read alongside the claim, also when the attempt must wait', async () => {
    const alongside = { name: 'echo', expression: (parameter: string) => `upper(${parameter})`, value: 'x' };
    expect(await first.attempt('192.0.2.12', 'Echo.User', alongside)).toEqual({ wait: undefined, alongside: 'X' });
    for (let n = 0; n < 3; n += 1) await first.attempt('192.0.2.12', `Other${n}`);
    expect(await first.attempt('192.0.2.12', 'Echo.User', alongside)).toEqual({ wait: expect.any(Number), alongside: 'X' });
  });
});
