// node tools/profile/run.mjs <token|introspect|authenticate> [seconds=10] [connections=32]
// Runs the built embedded app under --cpu-prof with a pg query counter, loads one route with autocannon,
// then prints the profile's self time and the pg statements per successful request.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

const root = resolve(import.meta.dirname, '..', '..');
const require = createRequire(join(root, 'package.json'));
const autocannon = require('autocannon');
const { createAccount, clientCredentialsToken } = require(join(root, 'dist/tools/bench/platform.js'));
const { freePort, waitHealthy } = require(join(root, 'dist/tools/bench/processes.js'));
const [route = 'token', seconds = '10', connections = '32'] = process.argv.slice(2);

// Reachable by the embedded PostgreSQL's user, so its cluster lives (and is removed) with the rest of it.
const { reachableTempDir } = require(join(root, 'dist/libs/testing/src/temp-dir.js'));
const work = reachableTempDir(join(tmpdir(), 'profile-'));
const port = await freePort();
const env = { ...process.env, LOG_LEVEL: 'warn', AUTH_ATTEMPTS_PER_CLIENT: '1000000000', AUTH_FREE_FAILURES: '1000000000', REGISTRATIONS_PER_CLIENT: '1000000000',
  PORT: String(port), ISSUER: `http://127.0.0.1:${port}`, DATA_DIR: join(work, 'data'), QUERY_COUNT_FILE: join(work, 'queries.json') };
for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'DB_SCHEMA_PREFIX']) delete env[name];
const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${join(work, 'prof')}`, '-r', join(root, 'tools/profile/count-queries.cjs'), join(root, 'dist/apps/embedded/src/main.js')],
  { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
const exited = new Promise((done) => child.once('exit', done));
const handle = { name: 'embedded', pid: child.pid, tail: () => '', hasExited: () => child.exitCode !== null };
const url = `http://127.0.0.1:${port}`;
const window = [];
try {
  await waitHealthy(`${url}/health`, handle);
  const platform = { kind: 'embedded', url };
  const account = await createAccount(platform, `p${Date.now().toString(36)}`);
  const target = route === 'token'
    ? { path: '/oauth/token', body: 'grant_type=client_credentials', check: '"access_token"' }
    : route === 'authenticate'
      ? { path: '/profile/authenticate', body: new URLSearchParams({ username: account.username, password: account.password }).toString(), check: '"authorizationToken"' }
      : { path: '/oauth/introspect', body: `token=${await clientCredentialsToken(platform, account)}`, check: '"active":true' };
  const before = JSON.parse((process.kill(child.pid, 'SIGUSR2'), await new Promise((r) => setTimeout(r, 300)), readFileSync(env.QUERY_COUNT_FILE, 'utf8')));
  window.push(process.hrtime.bigint() / 1000n);
  const result = await autocannon({ url, connections: Number(connections), duration: Number(seconds), requests: [{ method: 'POST', path: target.path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: account.clientAuthorization }, body: target.body }],
    verifyBody: (body) => String(body).includes(target.check) });
  window.push(process.hrtime.bigint() / 1000n);
  const ok = result['2xx'] - result.mismatches;
  console.log(`${route}: ${ok} ok in ${seconds} s = ${(ok / Number(seconds)).toFixed(0)}/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non2xx ${result.non2xx}, errors ${result.errors}`);
  process.kill(child.pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 300));
  const after = JSON.parse(readFileSync(env.QUERY_COUNT_FILE, 'utf8'));
  const delta = Object.entries(after).map(([sql, n]) => [sql, n - (before[sql] ?? 0)]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  const all = delta.reduce((sum, [, n]) => sum + n, 0);
  console.log(`\npg statements: ${all} = ${(all / ok).toFixed(2)} per request`);
  for (const [sql, n] of delta.slice(0, 25)) console.log(`${(n / ok).toFixed(3).padStart(8)}  ${sql}`);
} finally {
  child.kill('SIGTERM');
  await exited;
}
const profiles = readdirSync(join(work, 'prof')).filter((f) => f.endsWith('.cpuprofile'));
for (const file of profiles) console.log(execFileSync(process.execPath, [join(root, 'tools/profile/summarise.mjs'), join(work, 'prof', file), '30', ...window.map(String)], { encoding: 'utf8' }));
if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
