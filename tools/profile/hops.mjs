// node tools/profile/hops.mjs [rate=250] [seconds=10] [warm-up seconds=20]  (after npm run build)
// Starts the stack as the bench does, warms it, registers applications at a fixed rate, then splits each
// command's time from the database's own clocks: gateway `created_at` → the service's append (its
// transaction start, `recorded_at`) → the gateway's `completed_at`. The bench's p50/p99 (202 → push) is
// printed beside them.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const require = createRequire(join(root, 'package.json'));
const { startStack, createAccount } = require(join(root, 'dist/tools/bench/platform.js'));
const { commandLoad } = require(join(root, 'dist/tools/bench/commands.js'));
const { Pool } = require('pg');
const [rate = '250', seconds = '10', warm = '20'] = process.argv.slice(2);

const run = `h${Date.now().toString(36)}`;
const platform = await startStack(run);
try {
  const account = await createAccount(platform, `p${run}`);
  await commandLoad(platform, account, { connections: 8, seconds: Number(warm), overallRate: 200, drainMs: 5000 });
  const pool = new Pool({ connectionString: platform.databaseUrl, max: 1 });
  try {
    const since = (await pool.query('SELECT now() AS at')).rows[0].at;
    const figures = await commandLoad(platform, account, { connections: 64, seconds: Number(seconds), overallRate: Number(rate), drainMs: 10_000 });
    console.log(`${rate}/s: 202 → push p50 ${figures.p50.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms; ${figures.succeeded} of ${figures.accepted} succeeded`);
    const prefix = platform.schemaPrefix;
    const { rows } = await pool.query(
      `SELECT extract(epoch FROM e.recorded_at - s.created_at) * 1000 AS to_append,
              extract(epoch FROM s.completed_at - e.recorded_at) * 1000 AS to_status,
              extract(epoch FROM s.completed_at - s.created_at) * 1000 AS total
         FROM "${prefix}gateway".command_status s JOIN "${prefix}oauth_app".events e ON e.metadata->>'commandId' = s.command_id
        WHERE s.created_at >= $1 AND s.status = 'succeeded'`,
      [since],
    );
    const at = (column, fraction) => {
      const sorted = rows.map((row) => Number(row[column])).sort((a, b) => a - b);
      return sorted[Math.floor(fraction * (sorted.length - 1))].toFixed(1);
    };
    for (const column of ['to_append', 'to_status', 'total']) console.log(`${column.padEnd(10)} p50 ${at(column, 0.5)} p90 ${at(column, 0.9)} p99 ${at(column, 0.99)} ms (n=${rows.length})`);
  } finally {
    await pool.end();
  }
} finally {
  await platform.stop();
}
