// The distributed stack without Docker: Kafka (tools/kafka, unless KAFKA_BROKERS is set), a reachable
// Postgres (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres) and the four services from
// dist/ as child processes with prefixed logs. Needs `npm run build` first (`npm run stack` does it).
//   CLI:     node tools/stack.mjs [--port 8080] [--health-ports 8081,8082,8083] [--kafka-port 9092]
//            (Ctrl-C / SIGTERM stops the services, then Kafka; a dying service stops everything, exit 1)
//   Library: const stack = await startStack({ gatewayPort: 0, healthPorts: [0, 0, 0] }); … await stack.stop();
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = ['profile-service', 'oauth-app-service', 'token-service']; // then the gateway
const STOP_GRACE_MS = 10_000;
const COLORS = [36, 35, 33, 32, 34];

const sleep = (ms) => new Promise((wake) => setTimeout(wake, ms));

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** The gateway's KEY_ENCRYPTION_SECRET when none is given: made once, kept (0600) for later runs on the same database. */
async function stackSecretFile() {
  const file = join(root, '.data', 'stack-key-encryption-secret');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' }).catch((error) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return file;
}

function assertFree(port, what) {
  return new Promise((resolveFree, reject) => {
    const server = createServer();
    server.once('error', () => reject(new Error(`${what} port ${port} is already in use`)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(port)));
  });
}

async function isHealthy(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Starts Kafka (unless brokers are given) and the four services; resolves once every service and the
 * gateway answer GET /health with 200. Ports given as 0 are picked free; `kafkaDataDir: null` uses a
 * temporary Kafka dir that stop() removes. `onExit({ name, code, signal })`
 * is called after the stack stopped itself because a child died. An aborted `signal` stops the start-up.
 * @returns {Promise<{ gatewayUrl: string, brokers: string, databaseUrl: string, stop(): Promise<void> }>}
 */
export async function startStack({
  databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  kafkaBrokers = process.env.KAFKA_BROKERS,
  kafkaPort = 9092,
  kafkaDataDir = join(root, '.kafka', 'stack-data'),
  gatewayPort = Number(process.env.PORT || 8080),
  healthPorts = [8081, 8082, 8083],
  env = {},
  log = (line) => console.log(line),
  color = Boolean(process.stdout.isTTY),
  readyTimeoutMs = 120_000,
  onExit,
  signal,
} = {}) {
  const children = [];
  let kafka;
  let kafkaTempDir; // kafkaDataDir: null → a throw-away dir, removed on stop
  let stopping;
  let died; // first child that exited on its own

  const stop = () =>
    (stopping ??= (async () => {
      const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
      const exits = running.map((child) => new Promise((done) => child.once('exit', done)));
      const signalAll = (name) => running.forEach((child) => killGroup(child, name));
      signalAll('SIGTERM');
      const timer = setTimeout(() => signalAll('SIGKILL'), STOP_GRACE_MS);
      await Promise.all(exits);
      clearTimeout(timer);
      process.removeListener('exit', killAll);
      await stopKafka();
    })());
  const stopKafka = async () => {
    await kafka?.stop();
    if (kafkaTempDir) await rm(kafkaTempDir, { recursive: true, force: true });
  };
  const killGroup = (child, name) => {
    try {
      process.kill(-child.pid, name); // the child leads its own group: take its helpers along
    } catch {
      child.kill(name);
    }
  };
  const killAll = () => children.forEach((child) => killGroup(child, 'SIGKILL'));
  process.once('exit', killAll);
  const tails = new Map();
  function childDied(info) {
    if (stopping || died) return;
    died = info;
    log(`[stack] ${info.name} exited (code ${info.code}, signal ${info.signal}); stopping the stack`);
    stop().then(() => onExit?.(info));
  }

  const abort = () => stop();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    signal?.throwIfAborted();
    if (!kafkaBrokers) {
      // Another broker on the port would answer the launcher's readiness probe in place of ours.
      if (kafkaPort) await assertFree(kafkaPort, 'Kafka (set KAFKA_BROKERS to use the broker there, or pick --kafka-port)');
      const { startKafka } = await import('./kafka/kafka.mjs');
      if (!kafkaDataDir) kafkaTempDir = await mkdtemp(join(tmpdir(), 'stack-kafka-'));
      kafka = await startKafka({ port: kafkaPort, dataDir: kafkaDataDir || kafkaTempDir, log: (line) => log(`[kafka] ${line}`) });
      kafkaBrokers = kafka.brokers;
      kafka.exited.then(({ code, signal: killedBy }) => {
        if (!stopping) childDied({ name: 'kafka', code, signal: killedBy });
      });
    }
    signal?.throwIfAborted();

    const port = gatewayPort ? await assertFree(gatewayPort, 'gateway') : await freePort();
    const ports = [];
    for (const wanted of healthPorts) ports.push(wanted ? await assertFree(wanted, 'health') : await freePort());
    const gatewayUrl = `http://127.0.0.1:${port}`;
    const common = { ...process.env, ...env, DATABASE_URL: databaseUrl, KAFKA_BROKERS: kafkaBrokers };
    if (!common.KEY_ENCRYPTION_SECRET && !common.KEY_ENCRYPTION_SECRET_FILE) common.KEY_ENCRYPTION_SECRET_FILE = await stackSecretFile();
    delete common.PORT;
    delete common.HEALTH_PORT;
    const plan = [
      ...SERVICES.map((name, i) => ({ name, env: { HEALTH_PORT: String(ports[i]) }, health: `http://127.0.0.1:${ports[i]}/health` })),
      { name: 'gateway', env: { PORT: String(port), ISSUER: env.ISSUER || process.env.ISSUER || `http://localhost:${port}` }, health: `${gatewayUrl}/health` },
    ];

    const width = Math.max(...plan.map(({ name }) => name.length));
    const mainOf = (name) => join(root, 'dist', 'apps', name, 'src', 'main.js');
    const missing = plan.map(({ name }) => mainOf(name)).filter((file) => !existsSync(file));
    if (missing.length) throw new Error(`missing ${missing.join(', ')}: run npm run build (or the app has no src/main.ts yet)`);
    if (stopping) throw signal?.reason ?? new Error('stack stopped during start-up');
    for (const [i, { name, env: own }] of plan.entries()) {
      const child = spawn(process.execPath, ['--enable-source-maps', mainOf(name)], {
        cwd: root,
        env: { ...common, ...own },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // Ctrl-C reaches the stack only, which stops the services in order
      });
      children.push(child);
      const tail = [];
      tails.set(name, tail);
      const prefix = color ? `\x1b[${COLORS[i % COLORS.length]}m${name.padEnd(width)} |\x1b[0m` : `${name.padEnd(width)} |`;
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
          tail.push(line);
          if (tail.length > 30) tail.shift();
          log(`${prefix} ${line}`);
        });
      }
      child.once('error', (error) => childDied({ name, code: null, signal: null, error }));
      child.once('exit', (code, killedBy) => childDied({ name, code, signal: killedBy }));
    }

    const deadline = Date.now() + readyTimeoutMs;
    for (const { name, health } of plan) {
      while (!(await isHealthy(health))) {
        signal?.throwIfAborted();
        if (died) {
          throw new Error(`${died.name} exited during start-up (code ${died.code}, signal ${died.signal})\n${(tails.get(died.name) ?? []).join('\n')}`);
        }
        if (Date.now() > deadline) throw new Error(`${name} did not answer ${health} within ${readyTimeoutMs / 1000} s`);
        await sleep(250);
      }
    }
    log(`[stack] ready: gateway ${gatewayUrl}, Kafka ${kafkaBrokers}, Postgres ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
    return { gatewayUrl, brokers: kafkaBrokers, databaseUrl, stop };
  } catch (error) {
    await stop();
    await stopKafka(); // in case Kafka came up after stop() began
    throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}

function parseArgs(args) {
  const options = {};
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=', 2);
    const value = () => inline ?? args[++i];
    if (flag === '--port') options.gatewayPort = Number(value());
    else if (flag === '--health-ports') options.healthPorts = value().split(',').map(Number);
    else if (flag === '--kafka-port') options.kafkaPort = Number(value());
    else throw new Error(`unknown option ${args[i]} (options: --port N, --health-ports A,B,C, --kafka-port N; 0 = any free port)`);
  }
  return options;
}

/**
 * CLI: runs until Ctrl-C/SIGTERM (exit 0) or until a child dies (exit 1). Returns the exit code.
 * Options: --port (gateway, default PORT or 8080), --health-ports (8081,8082,8083), --kafka-port (9092).
 */
export async function main(args = []) {
  const controller = new AbortController();
  let stack;
  let finish;
  const finished = new Promise((done) => (finish = done));
  const onSignal = async (name) => {
    console.log(`[stack] ${name}: stopping services, then Kafka…`);
    controller.abort(new Error(`interrupted by ${name}`));
    if (!stack) return; // startStack rejects once it has cleaned up
    await stack.stop();
    finish(0);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  try {
    stack = await startStack({ ...parseArgs(args), signal: controller.signal, onExit: () => finish(1) });
  } catch (error) {
    if (controller.signal.aborted) return 0;
    console.error(`[stack] ${error.message}`);
    return 1;
  }
  return finished;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
