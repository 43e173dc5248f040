import { Pool } from 'pg';
import { inTransaction, withClient } from './transaction';

/** Issue 10: a connection the server terminates while checked out must not become an unhandled `error` event. */
describe('checked-out connections when their backend is terminated (real PostgreSQL)', () => {
  let pool: Pool;
  let admin: Pool;
  const uncaught: Error[] = [];
  const record = (error: Error) => uncaught.push(error);

  beforeAll(() => {
    pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
    pool.on('error', () => undefined);
    admin = new Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    process.on('uncaughtException', record);
  });

  afterAll(async () => {
    process.off('uncaughtException', record);
    await pool.end();
    await admin.end();
  });

  const terminate = (pid: number) => admin.query('SELECT pg_terminate_backend($1)', [pid]);

  it('fails the transaction, keeps the process, discards the client, and the pool serves the next query', async () => {
    const failure = await inTransaction(pool, async (client) => {
      expect(client.listenerCount('error')).toBeGreaterThan(0);
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await terminate(rows[0].pid);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the error event arrives while the client is out
      await client.query('SELECT 1');
    }).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(uncaught).toEqual([]);
    const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
    expect(rows[0].one).toBe(1);
  });

  it('discards a client whose connection died during a checkout that did not notice (no query after the termination)', async () => {
    let dead = 0;
    await withClient(pool, async (client) => {
      dead = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      await terminate(dead);
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    expect(uncaught).toEqual([]);
    const pids = await Promise.all([1, 2].map(() => withClient(pool, async (client) => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid)));
    expect(pids).not.toContain(dead);
  });
});
