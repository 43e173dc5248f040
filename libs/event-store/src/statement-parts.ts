import type { PoolClient } from 'pg';

/**
 * Writes gathered from several owners into one statement, so a transaction pays one round trip for
 * them: each write is a data-modifying statement (run as a CTE, so it runs whether or not it is
 * referenced), each select an expression of the final SELECT (e.g. a `pg_notify`). Parameters are
 * shared: a part pushes its values onto the statement's array and refers to them by `$n`. The parts of
 * one statement see the same snapshot, so two of them must not write the same row.
 */
export interface StatementParts {
  writes: string[];
  selects: string[];
}

export const noParts = (): StatementParts => ({ writes: [], selects: [] });

export const addParts = (into: StatementParts, parts: StatementParts): StatementParts => {
  into.writes.push(...parts.writes);
  into.selects.push(...parts.selects);
  return into;
};

/** `part_1 AS (…), part_2 AS (…)` for the writes, to stand beside a statement's own CTEs. */
export const partCtes = (parts: StatementParts): string[] => parts.writes.map((write, index) => `part_${index + 1} AS (${write})`);

/** Runs the parts as one statement; nothing when there are none. */
export async function runParts(client: PoolClient, parts: StatementParts, params: unknown[]): Promise<void> {
  if (parts.writes.length === 0 && parts.selects.length === 0) return;
  const ctes = partCtes(parts);
  const selects = parts.selects.length > 0 ? parts.selects.join(', ') : '1';
  await client.query(`${ctes.length > 0 ? `WITH ${ctes.join(', ')} ` : ''}SELECT ${selects}`, params);
}
