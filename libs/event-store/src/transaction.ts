import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` on one pooled connection. pg-pool removes its own `error` listener while a client is
 * checked out, so a connection the server terminates then (a PostgreSQL restart, `pg_terminate_backend`)
 * would be an unhandled `error` event that ends the process. A listener is attached for the checkout's
 * lifetime, and a client that failed is released with its error so the pool discards it.
 */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } finally {
    client.removeListener('error', onError);
    client.release(lost);
  }
}

/** Runs `work` in one transaction on one pooled connection: committed if it resolves, rolled back if it throws. */
export function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
}
