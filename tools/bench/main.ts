import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { commandLoad } from './commands';
import { type Peer, startOidcProvider } from './peer';
import { type Account, createAccount, type Platform, repoRoot, startEmbedded, startStack } from './platform';
import { type BenchOptions, EMBEDDED_ROWS, PEER_ROWS, ROW_IDS, type RowId, type RowResult, ROWS, STACK_ROWS } from './rows';
import { finalTable, rowDetail } from './table';

const USAGE = `npm run bench -- [--quick] [--duration S] [--connections N] [--runs N] [--only ROW,ROW] [--with-large-store]
  rows: ${ROW_IDS.join(', ')} (aliases: client_credentials, commands)
  --quick              3 s runs, 1 s warm-up: a smoke test
  --duration S         seconds per measured run (default 10)
  --connections N      concurrent connections, ours and the peer alike (default 64)
  --auth-connections N the authenticate row's connections, both sides (default 8)
  --runs N             alternating runs per side; medians are reported (default 3)
  --rate N             the fixed command rate of commands_fixed_rate (default 500/s)
  --with-large-store   add large_store (seeds 1,000,000 events; --large-store-events N to change)`;

const ALIASES: Record<string, RowId[]> = {
  client_credentials: ['client_credentials_embedded', 'client_credentials_stack'],
  commands: ['commands_throughput', 'commands_fixed_rate'],
};

function parseOptions(argv: string[]): { options: BenchOptions; rows: RowId[] } {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      connections: { type: 'string', default: '64' },
      'auth-connections': { type: 'string', default: '8' },
      runs: { type: 'string', default: '3' },
      rate: { type: 'string', default: '500' },
      only: { type: 'string' },
      'with-large-store': { type: 'boolean', default: false },
      'large-store-events': { type: 'string', default: '1000000' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const positive = (name: string, value: string) => {
    const parsed = Number(value);
    if (!(parsed > 0)) throw new Error(`--${name} must be a positive number, got ${value}\n${USAGE}`);
    return parsed;
  };
  const wanted = values.only?.split(',').flatMap((name) => ALIASES[name.trim()] ?? [name.trim() as RowId]);
  const unknown = wanted?.filter((id) => !ROW_IDS.includes(id));
  if (unknown?.length) throw new Error(`unknown row ${unknown.join(', ')}\n${USAGE}`);
  const rows = ROW_IDS.filter((id) => (wanted ? wanted.includes(id) : id !== 'large_store' || values['with-large-store']));
  return {
    rows,
    options: {
      seconds: positive('duration', values.duration ?? (values.quick ? '3' : '10')),
      connections: positive('connections', values.connections),
      authConnections: positive('auth-connections', values['auth-connections']),
      runs: positive('runs', values.runs),
      warmupSeconds: values.quick ? 1 : 2,
      fixedRate: positive('rate', values.rate),
      largeStoreEvents: positive('large-store-events', values['large-store-events']),
      smallStoreEvents: 10_000,
      drainMs: values.quick ? 30_000 : 60_000,
      stackWarmupSeconds: values.quick ? 5 : 20,
    },
  };
}

const log = (line: string) => console.log(line);

/** Starts one deployment, makes its account, runs its rows in order, and always stops it. */
async function onPlatform(start: () => Promise<Platform>, rows: RowId[], run: string, peer: Peer | undefined, options: BenchOptions, results: RowResult[], cleanups: Set<() => Promise<void>>) {
  if (rows.length === 0) return;
  const startedAt = performance.now();
  const platform = await start();
  const stop = () => platform.stop();
  cleanups.add(stop);
  try {
    const account: Account = await createAccount(platform, run);
    log(`${platform.kind} ready on ${platform.url} in ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
    if (platform.kind === 'stack') {
      await commandLoad(platform, account, { connections: options.connections, seconds: options.stackWarmupSeconds, overallRate: 200, drainMs: options.drainMs });
      log(`stack warmed up: ${options.stackWarmupSeconds} s of commands at 200/s`);
    }
    for (const id of rows) {
      log(`${id}…`);
      let result: RowResult;
      try {
        result = await ROWS[id]({ platform, account, peer, options, progress: log });
      } catch (error) {
        result = { id, title: id, target: '', error: (error as Error).stack ?? String(error) };
      }
      results.push(result);
      log(rowDetail(result));
    }
  } finally {
    cleanups.delete(stop);
    await stop();
  }
}

async function main(): Promise<number> {
  const { options, rows } = parseOptions(process.argv.slice(2));
  const run = Date.now().toString(36);
  const cleanups = new Set<() => Promise<void>>();
  // A second signal (a wrapper that forwards it, an impatient kill) must not end the bench before the
  // cleanups ran: the embedded app, its PostgreSQL and the peer would outlive it.
  let stopping = false;
  const interrupted = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping what the bench started…`);
    void Promise.allSettled([...cleanups].map((cleanup) => cleanup())).then(() => process.exit(130));
  };
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  log(`bench ${run}: ${rows.join(', ')}; ${options.connections} connections, ${options.runs} × ${options.seconds} s per side, ${cpus().length} CPUs, Node ${process.version}`);

  const results: RowResult[] = [];
  const peer = rows.some((id) => PEER_ROWS.includes(id)) ? await startOidcProvider() : undefined;
  if (peer) {
    cleanups.add(peer.stop);
    log(`node-oidc-provider (pid ${peer.pid}) on ${peer.url}`);
  }
  try {
    await onPlatform(startEmbedded, EMBEDDED_ROWS.filter((id) => rows.includes(id)), run, peer, options, results, cleanups);
    await onPlatform(() => startStack(run), STACK_ROWS.filter((id) => rows.includes(id)), run, peer, options, results, cleanups);
  } finally {
    if (peer) {
      cleanups.delete(peer.stop);
      await peer.stop();
    }
  }

  const ordered = ROW_IDS.flatMap((id) => results.filter((result) => result.id === id));
  const output = join(repoRoot, '.bench');
  mkdirSync(output, { recursive: true });
  const report = { at: new Date().toISOString(), run, node: process.version, cpus: cpus().length, options, rows: ordered };
  writeFileSync(join(output, 'results.json'), JSON.stringify(report, null, 2));
  log('\nwritten to .bench/results.json (err = errors/non-2xx; ratio = ours ÷ peer rate)\n');
  log(finalTable(ordered));
  return ordered.some((result) => result.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
