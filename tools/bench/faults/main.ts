import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@platform/embedded-postgres';
import { createAccount, repoRoot, type Platform } from '../platform';
import { doubledCommands, firstSucceededAfter, readModelDifferences, stuckCommands } from './checks';
import { SteadyLoad, type PhaseLoad } from './load';
import { faultTable, rowFailed, type FaultRow } from './table';

/**
 * `npm run test:faults`: the four processes on a broker of their own (tools/stack.mjs, supervised) and a
 * private embedded PostgreSQL (the machine's shared one is never restarted), under a steady load; each
 * fault in turn, then the checks. Exits 1 if any fault leaves a stuck or doubled command, a process dead
 * that was not killed, read models that differ from a rebuild, or a system that does not serve again.
 */
interface StackHandle {
  gatewayUrl: string;
  brokers: string;
  pids(): Record<string, number>;
  restarts(): Record<string, number>;
  stop(): Promise<void>;
}

const RATE = Number(process.env.FAULTS_RATE ?? 20);
const STEADY_MS = 3_000;
const RECOVERY_TIMEOUT_MS = 60_000;
const SETTLE_TIMEOUT_MS = 60_000;
const POSTGRES_DOWN_MS = 2_000;
const SERVICES = ['gateway', 'profile-service', 'oauth-app-service', 'token-service'];
/** Brute-force and registration limits are lifted: the load is one profile and one client. */
const LOAD_ENV = { LOG_LEVEL: 'warn', AUTH_ATTEMPTS_PER_CLIENT: '1000000000', AUTH_FREE_FAILURES: '1000000000', REGISTRATIONS_PER_CLIENT: '1000000000' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => console.log(`[faults] ${line}`);

interface Fault {
  name: string;
  /** The process restarted because of the fault itself (not counted as a death). */
  restarts?: string;
  /** Injects the fault; resolves with the time the fault is over (the kill, or the broker/database back). */
  inject(): Promise<number>;
}

async function main(): Promise<number> {
  // kafkajs on Node 24 triggers a harmless TimeoutNegativeWarning.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => warning.name !== 'TimeoutNegativeWarning' && console.error(`${warning.name}: ${warning.message}`));
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const work = mkdtempSync(join(tmpdir(), 'faults-'));
  // The private PostgreSQL runs as user postgres when we are root: it must reach its data dir inside.
  chmodSync(work, 0o755);
  const logFile = join(work, 'stack.log');
  const prefix = `faults_${run}_`;
  let postgres: EmbeddedPostgres | undefined;
  let stack: StackHandle | undefined;
  let pool: Pool | undefined;
  let failed = true;
  try {
    const pgPort = await freePort();
    const pgDir = join(work, 'postgres');
    const startPostgres = () => startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, database: 'faults', handleSignals: false });
    postgres = await startPostgres();
    say(`private PostgreSQL on 127.0.0.1:${pgPort} (${pgDir}); logs of the stack in ${logFile}`);

    const { startStack } = require(join(repoRoot, 'tools', 'stack.mjs')) as { startStack: (options: object) => Promise<StackHandle> };
    stack = await startStack({
      databaseUrl: postgres.databaseUrl,
      gatewayPort: 0,
      healthPorts: [0, 0, 0],
      kafkaPort: 0,
      kafkaDataDir: join(work, 'kafka'),
      env: { ...LOAD_ENV, KAFKA_TOPIC_PREFIX: `faults.${run}.`, DB_SCHEMA_PREFIX: prefix, KEY_ENCRYPTION_SECRET: randomBytes(32).toString('base64url') },
      log: (line: string) => {
        appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
        if (line.startsWith('[stack]')) say(line);
      },
      color: false,
    });
    const running = stack;
    pool = new Pool({ connectionString: postgres.databaseUrl, max: 4 });
    pool.on('error', () => undefined); // idle connections die with the database restart
    const db = pool;

    const platform: Platform = { kind: 'stack', url: running.gatewayUrl, databaseUrl: postgres.databaseUrl, schemaPrefix: prefix, stop: async () => undefined };
    const account = await createAccount(platform, run);
    const load = new SteadyLoad(running.gatewayUrl, account, RATE, RATE * 2 * 600);

    const kill = (name: string): Fault => ({
      name: `kill -9 ${name}`,
      restarts: name,
      inject: async () => {
        process.kill(running.pids()[name], 'SIGKILL');
        return Date.now();
      },
    });
    const faults: Fault[] = [
      ...SERVICES.map(kill),
      {
        name: 'kill -9 kafka',
        restarts: 'kafka',
        inject: async () => {
          const pid = running.pids().kafka;
          process.kill(pid, 'SIGKILL');
          return brokerBack(running, pid);
        },
      },
      {
        name: 'restart postgres',
        inject: async () => {
          await postgres!.stop();
          await sleep(POSTGRES_DOWN_MS);
          postgres = await startPostgres();
          return Date.now();
        },
      },
    ];

    const rows: FaultRow[] = [];
    for (const fault of faults) {
      say(`${fault.name}…`);
      const row = await runFault(fault, running, load, db, postgres.databaseUrl, prefix).catch(
        (error: Error): FaultRow => ({ fault: fault.name, accepted: 0, terminal: 0, stuck: 0, doubled: 0, deaths: [], readModelDifferences: [], error: error.message }),
      );
      await load.pause();
      rows.push(row);
      say(faultTable([row]).split('\n')[2]);
      for (const difference of row.readModelDifferences) say(`${fault.name}: read model differs from a rebuild: ${difference}`);
    }
    console.log(`\n${faultTable(rows)}\n`);
    failed = rows.some(rowFailed);
    return failed ? 1 : 0;
  } finally {
    await pool?.end().catch(() => undefined);
    await stack?.stop().catch((error: Error) => say(`stopping the stack: ${error.message}`));
    await postgres?.stop().catch(() => undefined);
    if (failed) say(`kept ${work} (stack.log, kafka/server.log) for a look`);
    else rmSync(work, { recursive: true, force: true });
  }
}

async function runFault(fault: Fault, stack: StackHandle, load: SteadyLoad, pool: Pool, databaseUrl: string, prefix: string): Promise<FaultRow> {
  const restartsBefore = stack.restarts();
  const phase = load.resume();
  await sleep(STEADY_MS);
  const over = await fault.inject();
  const recoverySeconds = await recovery(phase, pool, prefix, over);
  await sleep(STEADY_MS);
  await load.pause();

  const ids = [...phase.accepted.keys()];
  const stuck = await stuckCommands(pool, prefix, ids, SETTLE_TIMEOUT_MS);
  const doubled = await doubledCommands(pool, prefix, ids);
  const differences = await readModelDifferences(pool, databaseUrl, prefix, 10_000);
  const restartsAfter = stack.restarts();
  const deaths = Object.entries(restartsAfter)
    .map(([name, count]) => [name, count - (restartsBefore[name] ?? 0) - (name === fault.restarts ? 1 : 0)] as const)
    .filter(([, extra]) => extra !== 0)
    .map(([name, extra]) => `${name} ×${extra}`);
  const alive = stack.pids();
  for (const name of [...SERVICES, 'kafka']) if (!alive[name] && !deaths.some((death) => death.startsWith(name))) deaths.push(`${name} down`);
  say(`${fault.name}: ${phase.commandFailures} command and ${phase.tokenFailures} token requests failed during the fault`);
  return {
    fault: fault.name,
    accepted: ids.length,
    terminal: ids.length - stuck.length,
    stuck: stuck.length,
    doubled: doubled.length,
    recoverySeconds,
    deaths,
    readModelDifferences: differences,
  };
}

/** Seconds from `since` until both a token was issued and a command succeeded. */
async function recovery(phase: PhaseLoad, pool: Pool, prefix: string, since: number): Promise<number | undefined> {
  const deadline = since + RECOVERY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const token = phase.tokensOk.find((at) => at >= since);
    const command = await firstSucceededAfter(pool, prefix, since).catch(() => undefined);
    if (token !== undefined && command !== undefined) return (Math.max(token, command) - since) / 1000;
    await sleep(100);
  }
  return undefined;
}

/** Waits until the supervisor has started a new broker and it answers; returns when it did. */
async function brokerBack(stack: StackHandle, killed: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'faults-probe', brokers: [stack.brokers], logLevel: logLevel.NOTHING, connectionTimeout: 500, retry: { retries: 0 } });
  const deadline = Date.now() + RECOVERY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const pid = stack.pids().kafka;
    if (pid && pid !== killed) {
      const admin = kafka.admin();
      try {
        await admin.connect();
        await admin.describeCluster();
        return Date.now();
      } catch {
        // not yet
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    }
    await sleep(100);
  }
  throw new Error(`the broker was not back within ${RECOVERY_TIMEOUT_MS / 1000} s`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
