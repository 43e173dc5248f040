// The distributed stack without Docker: Kafka (tools/kafka, unless KAFKA_BROKERS is set), a reachable
// Postgres (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres) and the four services from
// dist/ as child processes with prefixed logs. Needs `npm run build` first (`npm run stack` does it).
//   CLI:     node tools/stack.mjs [--port 8080] [--health-ports 8081,8082,8083] [--kafka-port 9092]
//            (Ctrl-C / SIGTERM stops the services, then Kafka; a process that dies is restarted with
//            exponential backoff, 0.5 s doubling to 30 s, reset after 30 s of running)
//   Library: const stack = await startStack({ gatewayPort: 0, healthPorts: [0, 0, 0] }); … await stack.stop();
//            stack.pids() names the current PID of each process (kafka included); stack.restarts() counts restarts.
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
const RESTART_INITIAL_MS = 500;
const RESTART_MAX_MS = 30_000;
/** A process that ran this long before dying is restarted after the initial delay again. */
const RESTART_STABLE_MS = 30_000;
const STARTUP_RESTARTS = 3;

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
 * temporary Kafka dir that stop() removes. After start-up every process is supervised: one that exits is
 * started again (same ports, same Kafka data dir) after a backoff that doubles from 0.5 s to 30 s and
 * resets once it ran 30 s; `onRestart({ name, code, signal, delayMs })` hears of each. With
 * `supervise: false` a dying process stops the stack instead, then `onExit({ name, code, signal })` is
 * called. A process dying more than 3 times during start-up fails the start. An aborted `signal` stops the start-up.
 * @returns {Promise<{ gatewayUrl: string, brokers: string, databaseUrl: string, pids(): Record<string, number>, restarts(): Record<string, number>, stop(): Promise<void> }>}
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
  supervise = true,
  onExit,
  onRestart,
  signal,
} = {}) {
  const running = new Map(); // name → the current ChildProcess of each service
  const restartCounts = {};
  const backoff = new Map(); // name → { delayMs, timer }
  let kafka;
  let startKafkaAgain; // restarts the broker on its port and data dir
  let kafkaTempDir; // kafkaDataDir: null → a throw-away dir, removed on stop
  let stopping;
  let ready = false;
  let died; // first process that exited during start-up (or, unsupervised, at all)

  const isRunning = (child) => child.exitCode === null && child.signalCode === null;
  const stop = () =>
    (stopping ??= (async () => {
      for (const { timer } of backoff.values()) clearTimeout(timer);
      const alive = [...running.values()].filter(isRunning);
      const exits = alive.map((child) => new Promise((done) => child.once('exit', done)));
      const signalAll = (name) => alive.forEach((child) => killGroup(child, name));
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
  const killAll = () => [...running.values()].forEach((child) => killGroup(child, 'SIGKILL'));
  process.once('exit', killAll);
  const tails = new Map();

  /** After start-up a dead process is restarted with backoff (or, unsupervised, stops the stack). */
  function processExited(info, startedAt, restart) {
    if (stopping) return;
    // During start-up a few restarts are allowed (processes racing to create the same topics); then it fails.
    const restartable = supervise && (ready || (restartCounts[info.name] ?? 0) < STARTUP_RESTARTS);
    if (!restartable) {
      if (died) return;
      died = info;
      if (!ready) return; // the start-up loop reports it
      log(`[stack] ${info.name} exited (code ${info.code}, signal ${info.signal}); stopping the stack`);
      stop().then(() => onExit?.(info));
      return;
    }
    const previous = backoff.get(info.name);
    const stable = Date.now() - startedAt >= RESTART_STABLE_MS;
    const delayMs = !previous || stable ? RESTART_INITIAL_MS : Math.min(previous.delayMs * 2, RESTART_MAX_MS);
    log(`[stack] ${info.name} exited (code ${info.code}, signal ${info.signal}); restarting in ${delayMs} ms`);
    onRestart?.({ ...info, delayMs });
    const timer = setTimeout(() => {
      if (stopping) return;
      restartCounts[info.name] = (restartCounts[info.name] ?? 0) + 1;
      Promise.resolve()
        .then(restart)
        .catch((error) => {
          log(`[stack] restarting ${info.name} failed: ${error.message}`);
          processExited({ ...info, error }, Date.now(), restart);
        });
    }, delayMs);
    backoff.set(info.name, { delayMs, timer });
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
      const brokerPort = kafkaPort || (await freePort());
      const controllerPort = await freePort();
      startKafkaAgain = async () => {
        const startedAt = Date.now();
        kafka = await startKafka({ port: brokerPort, controllerPort, dataDir: kafkaDataDir || kafkaTempDir, log: (line) => log(`[kafka] ${line}`) });
        const { pid } = kafka;
        running.delete('kafka'); // the broker is stopped through kafka.stop(), not by group
        kafka.exited.then(({ code, signal: killedBy }) => {
          if (kafka?.pid === pid) processExited({ name: 'kafka', code, signal: killedBy }, startedAt, startKafkaAgain);
        });
      };
      await startKafkaAgain();
      kafkaBrokers = kafka.brokers;
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
    const spawnService = (name, own, i) => {
      const child = spawn(process.execPath, ['--enable-source-maps', mainOf(name)], {
        cwd: root,
        env: { ...common, ...own },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // Ctrl-C reaches the stack only, which stops the services in order
      });
      running.set(name, child);
      const startedAt = Date.now();
      const tail = tails.get(name) ?? [];
      tails.set(name, tail);
      const prefix = color ? `\x1b[${COLORS[i % COLORS.length]}m${name.padEnd(width)} |\x1b[0m` : `${name.padEnd(width)} |`;
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
          tail.push(line);
          if (tail.length > 30) tail.shift();
          log(`${prefix} ${line}`);
        });
      }
      const again = () => spawnService(name, own, i);
      let reported = false;
      const exited = (info) => {
        if (reported) return;
        reported = true;
        processExited(info, startedAt, again);
      };
      child.once('error', (error) => exited({ name, code: null, signal: null, error }));
      child.once('exit', (code, killedBy) => exited({ name, code, signal: killedBy }));
    };
    for (const [i, { name, env: own }] of plan.entries()) spawnService(name, own, i);

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
    if (died) throw new Error(`${died.name} exited during start-up (code ${died.code}, signal ${died.signal})`);
    ready = true;
    log(`[stack] ready: gateway ${gatewayUrl}, Kafka ${kafkaBrokers}, Postgres ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
    const pids = () => {
      const current = Object.fromEntries([...running].filter(([, child]) => isRunning(child)).map(([name, child]) => [name, child.pid]));
      if (kafka) current.kafka = kafka.pid;
      return current;
    };
    return { gatewayUrl, brokers: kafkaBrokers, databaseUrl, pids, restarts: () => ({ ...restartCounts }), stop };
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
 * CLI: runs until Ctrl-C/SIGTERM (exit 0), restarting processes that die; exit 1 if start-up fails. Returns the exit code.
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
