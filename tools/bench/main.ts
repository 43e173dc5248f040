import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { type LatencySummary, summarize } from './stats';

/**
 * `npm run bench`: boots the distributed stack (Kafka + PostgreSQL + four processes) on 127.0.0.1
 * and measures commands (202 → succeeded, by the gateway's clock), authentication, authenticated
 * requests, token issuance, refresh, client_credentials and introspection (round trip). Bounded in count and time; prints a table and writes `.bench/latest.json`.
 *   BENCH_RATE (commands/s, default 20), BENCH_SECONDS (default 15), BENCH_CONCURRENCY (default 16)
 */
interface Row {
  scenario: string;
  sent: number;
  succeeded: number;
  seconds: number;
  perSecond: number;
  latencyMs: LatencySummary;
}

const repoRoot = join(__dirname, '..', '..', '..');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const password = 'benchmark password 0123456789';

interface StackHandle {
  gatewayUrl: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

async function register(gatewayUrl: string, username: string): Promise<string> {
  const response = await fetch(`${gatewayUrl}/profile/register-profile`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (response.status !== 202) throw new Error(`register answered ${response.status}`);
  return ((await response.json()) as { commandId: string }).commandId;
}

/** 202 → terminal, measured by the gateway's own clock: `started` is written just before the 202. */
async function settle(pool: Pool, schema: string, ids: string[], timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query(
      `SELECT status, extract(epoch FROM completed_at - created_at) * 1000 AS ms, completed_at, created_at
         FROM "${schema}".command_status WHERE command_id = ANY($1)`,
      [ids],
    );
    const done = rows.filter((row) => row.status !== 'started');
    if (done.length === ids.length || Date.now() > deadline) {
      const first = Math.min(...rows.map((row) => new Date(row.created_at).getTime()));
      const last = Math.max(...done.map((row) => new Date(row.completed_at).getTime()));
      return {
        succeeded: done.filter((row) => row.status === 'succeeded').length,
        latencies: done.map((row) => Number(row.ms)),
        seconds: (last - first) / 1000,
      };
    }
    await sleep(200);
  }
}

/** `concurrency` clients call `request` back to back for `seconds`; latency is each call's round trip. */
async function closedLoop(
  scenario: string,
  concurrency: number,
  seconds: number,
  request: (n: number) => Promise<boolean>,
  exhausted: () => boolean = () => false,
): Promise<Row> {
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline && !exhausted()) {
        const t0 = performance.now();
        sent += 1;
        if (await request(sent)) ok += 1;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { scenario, sent, succeeded: ok, seconds: elapsed, perSecond: ok / elapsed, latencyMs: summarize(latencies) };
}

async function authenticatedRows(stack: StackHandle, run: string): Promise<Row[]> {
  const seconds = env('BENCH_SECONDS', 15);
  const username = `bench.${run}.login`;
  const form = (body: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
  await register(stack.gatewayUrl, username);
  await sleep(500);
  const login = async () => (await fetch(`${stack.gatewayUrl}/profile/authenticate`, form({ username, password }))).status === 200;
  const authenticate = await closedLoop('authenticate (argon2id + token command), 8 concurrent', 8, seconds, login);
  const response = await fetch(`${stack.gatewayUrl}/profile/authenticate`, form({ username, password }));
  const { authorizationToken } = (await response.json()) as { authorizationToken: string };
  const authenticated = await closedLoop('GET retrieve-profile-id (token check), 16 concurrent', 16, seconds, async () => {
    const answer = await fetch(`${stack.gatewayUrl}/profile/retrieve-profile-id`, { headers: { 'x-dpt-authorization': authorizationToken } });
    await answer.arrayBuffer();
    return answer.status === 200;
  });
  return [authenticate, authenticated];
}

const form = (body: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(body).toString(),
});

async function json(response: Promise<Response>): Promise<Record<string, string>> {
  const answer = await response;
  const body = (await answer.json()) as Record<string, string>;
  if (answer.status >= 300) throw new Error(`${answer.url} answered ${answer.status}: ${JSON.stringify(body)}`);
  return body;
}

async function waitSucceeded(gatewayUrl: string, commandId: string): Promise<void> {
  for (;;) {
    const status = await json(fetch(`${gatewayUrl}/request-status/${commandId}`));
    if (status.status === 'succeeded') return;
    if (status.status === 'rejected') throw new Error(`${commandId} rejected: ${status.body}`);
    await sleep(5);
  }
}

/** Token issuance (obtain-access-token with prepared codes) and refresh rotation, per second. */
async function tokenRows(stack: StackHandle, run: string): Promise<Row[]> {
  const url = stack.gatewayUrl;
  const seconds = env('BENCH_SECONDS', 15);
  const codes = env('BENCH_CODES', 300);
  const username = `bench.${run}.oauth`;
  await register(url, username);
  await sleep(500);
  const { authorizationToken } = await json(fetch(`${url}/profile/authenticate`, form({ username, password })));
  const profile = { 'x-dpt-authorization': authorizationToken };
  const { commandId: applicationId } = await json(
    fetch(`${url}/profile/oauth-application-register`, form({ name: 'bench', redirectUri: 'https://bench.example/cb', scopes: 'profile:read' }, profile)),
  );
  await waitSucceeded(url, applicationId);
  const { clientId, clientSecret } = await json(fetch(`${url}/profile/retrieve-oauth-application-configuration`, form({ applicationId }, profile)));
  const client = { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` };

  const prepared: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < codes) {
        const nonce = `bench-nonce-${run}-${(next += 1)}`;
        const { commandId } = await json(fetch(`${url}/profile/oauth-application-request-authorization-code?client_id=${clientId}&nonce=${nonce}&scope[]=profile:read`, { headers: profile }));
        await waitSucceeded(url, commandId);
        prepared.push((await json(fetch(`${url}/oauth-application/retrieve-authorization-code`, form({ id: commandId, nonce }, client)))).authorizationCode);
      }
    }),
  );
  const grants: { token: string; refreshToken: string }[] = [];
  const issuance = await closedLoop('obtain-access-token (code → JWT + refresh), 8 concurrent', 8, seconds, async () => {
    const code = prepared.pop();
    if (!code) return false;
    const answer = await fetch(`${url}/oauth-application/obtain-access-token`, form({ authorization_code: code }, client));
    const body = (await answer.json()) as Record<string, string>;
    if (answer.status === 200) grants.push({ token: body.token, refreshToken: body.refreshToken });
    return answer.status === 200;
  }, () => prepared.length === 0);
  let cursor = 0;
  const refresh = await closedLoop('refresh-access-token (rotation), 8 concurrent', 8, seconds, async () => {
    // Eight clients, each rotating its own grants: a grant is never refreshed twice at once.
    const grant = grants[cursor++ % grants.length];
    if (!grant) return false;
    const answer = await fetch(`${url}/oauth-application/refresh-access-token`, form({ refresh_token: grant.refreshToken }, { authorization: `Basic ${grant.token}` }));
    const body = (await answer.json()) as Record<string, string>;
    if (answer.status !== 200) return false;
    grant.token = body.token;
    grant.refreshToken = body.refreshToken;
    return true;
  });
  const clientCredentials = await closedLoop('POST /oauth/token client_credentials, 8 concurrent', 8, seconds, async () => {
    const answer = await fetch(`${url}/oauth/token`, form({ grant_type: 'client_credentials' }, client));
    await answer.arrayBuffer();
    return answer.status === 200;
  });
  const sample = grants[0]?.token;
  const introspection = await closedLoop('POST /oauth/introspect (JWT), 16 concurrent', 16, seconds, async () => {
    const answer = await fetch(`${url}/oauth/introspect`, form({ token: sample ?? 'none' }, client));
    const body = (await answer.json()) as { active?: boolean };
    return answer.status === 200 && body.active === true;
  });
  return [issuance, refresh, clientCredentials, introspection];
}

async function fixedRate(stack: StackHandle, pool: Pool, schema: string, run: string): Promise<Row> {
  const rate = env('BENCH_RATE', 20);
  const seconds = env('BENCH_SECONDS', 15);
  const total = rate * seconds;
  const started = Date.now();
  const sends: Promise<string>[] = [];
  for (let n = 0; n < total; n += 1) {
    const due = started + (n * 1000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    sends.push(register(stack.gatewayUrl, `bench.${run}.rate.${n}`));
  }
  const ids = await Promise.all(sends);
  const result = await settle(pool, schema, ids);
  return { scenario: `register-profile @ ${rate}/s`, sent: total, succeeded: result.succeeded, seconds: result.seconds, perSecond: result.succeeded / result.seconds, latencyMs: summarize(result.latencies) };
}

async function saturation(stack: StackHandle, pool: Pool, schema: string, run: string): Promise<Row> {
  const concurrency = env('BENCH_CONCURRENCY', 16);
  const seconds = env('BENCH_SECONDS', 15);
  const ids: string[] = [];
  const deadline = Date.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) ids.push(await register(stack.gatewayUrl, `bench.${run}.sat.${(n += 1)}`));
    }),
  );
  const result = await settle(pool, schema, ids);
  return { scenario: `register-profile, ${concurrency} concurrent`, sent: ids.length, succeeded: result.succeeded, seconds: result.seconds, perSecond: result.succeeded / result.seconds, latencyMs: summarize(result.latencies) };
}

const format = (rows: Row[]): string => {
  const header = ['scenario', 'sent', 'ok', 'per s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'];
  const lines = rows.map((row) => [
    row.scenario,
    String(row.sent),
    String(row.succeeded),
    row.perSecond.toFixed(1),
    ...[row.latencyMs.p50, row.latencyMs.p95, row.latencyMs.p99, row.latencyMs.max].map((v) => v.toFixed(1)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [render(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...lines.map(render)].join('\n');
};

async function main(): Promise<void> {
  const run = Date.now().toString(36);
  const prefix = `bench_${run}`;
  // The stack launcher is an ES module; Node 22+ loads it with require().
  const { startStack } = require(join(repoRoot, 'tools', 'stack.mjs')) as { startStack: (options: object) => Promise<StackHandle> };
  const stack = await startStack({
    gatewayPort: 0,
    healthPorts: [0, 0, 0],
    kafkaPort: 0,
    kafkaDataDir: null,
    env: {
      KAFKA_TOPIC_PREFIX: `${prefix}.`,
      DB_SCHEMA_PREFIX: `${prefix}_`,
      LOG_LEVEL: 'warn',
      AUTH_ATTEMPTS_PER_CLIENT: '100000000',
      AUTH_FREE_FAILURES: '100000000',
      REGISTRATIONS_PER_CLIENT: '100000000',
    },
    log: () => undefined,
  });
  const pool = new Pool({ connectionString: stack.databaseUrl, max: 2 });
  const schema = `${prefix}_gateway`;
  try {
    await settle(pool, schema, await Promise.all(Array.from({ length: 20 }, (_, n) => register(stack.gatewayUrl, `bench.${run}.warm.${n}`))));
    const rows = [await fixedRate(stack, pool, schema, run), await saturation(stack, pool, schema, run), ...(await authenticatedRows(stack, run)), ...(await tokenRows(stack, run))];
    console.log(format(rows));
    const output = join(repoRoot, '.bench');
    mkdirSync(output, { recursive: true });
    const report = { at: new Date().toISOString(), node: process.version, rows };
    writeFileSync(join(output, `bench-${run}.json`), JSON.stringify(report, null, 2));
    writeFileSync(join(output, 'latest.json'), JSON.stringify(report, null, 2));
    console.log(`written to .bench/bench-${run}.json`);
  } finally {
    for (const suffix of ['gateway', 'profile', 'token', 'oauth_app']) await pool.query(`DROP SCHEMA IF EXISTS "${prefix}_${suffix}" CASCADE`);
    await pool.end();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
