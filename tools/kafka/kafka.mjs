// Single-node Kafka 3.9 (KRaft, broker+controller) from the Maven Central jars, for hosts without Docker.
// Library: `startKafka(options)`; CLI: `node tools/kafka/kafka.mjs start [--port 9092] [--data-dir .kafka/data]`.
import { spawn, execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const execFileAsync = promisify(execFile);

const toolDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = resolve(toolDir, '../..');
const pomPath = join(toolDir, 'pom.xml');
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;

function pomHash() {
  return createHash('sha256').update(readFileSync(pomPath)).digest('hex');
}

/** Downloads the broker jars with Maven unless a complete copy for the current pom.xml exists. */
export async function ensureKafkaJars({ libsDir = join(repoRoot, '.kafka', 'libs'), log = () => {} } = {}) {
  const marker = join(libsDir, '.complete');
  const hash = pomHash();
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === hash) return libsDir;

  const started = Date.now();
  log(`downloading Kafka jars into ${libsDir} (mvn)…`);
  // Download beside the target and rename, so an interrupted or concurrent download never leaves half a classpath.
  mkdirSync(resolve(libsDir, '..'), { recursive: true });
  const staging = `${libsDir}.tmp-${process.pid}-${Date.now()}`;
  await execFileAsync(
    'mvn',
    ['-q', '-B', '-f', pomPath, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime'],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  writeFileSync(join(staging, '.complete'), hash);
  rmSync(libsDir, { recursive: true, force: true });
  try {
    renameSync(staging, libsDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(marker)) throw error;
  }
  log(`Kafka jars ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return libsDir;
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function hasPdeathsig() {
  try {
    await execFileAsync('setpriv', ['--pdeathsig', 'TERM', 'true']);
    return true;
  } catch {
    return false;
  }
}

// Otherwise a broker already on the port would answer the readiness check in place of ours.
function assertPortFree(port) {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', (error) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is already in use (another Kafka?); try --port 0`) : error),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort(port)));
  });
}

function randomClusterId() {
  // Like Kafka's own Uuid.randomUuid: an id starting with '-' would read as an option to kafka-storage.
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties({ port, controllerPort, logDirs }) {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${logDirs}`,
    'num.partitions=3',
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'group.min.session.timeout.ms=1000',
    'log.retention.hours=24',
    '',
  ].join('\n');
}

function log4jProperties(logFile) {
  return [
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.RollingFileAppender',
    `log4j.appender.file.File=${logFile}`,
    'log4j.appender.file.MaxFileSize=20MB',
    'log4j.appender.file.MaxBackupIndex=2',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.state.change.logger=WARN',
    'log4j.logger.kafka.request.logger=WARN',
    '',
  ].join('\n');
}

function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function waitUntilReady(brokers, exited, deadline) {
  const kafka = new Kafka({ clientId: 'kafka-launcher', brokers: [brokers], logLevel: logLevel.NOTHING, connectionTimeout: 1000, retry: { retries: 0 } });
  let lastError;
  while (Date.now() < deadline) {
    if (exited.value) throw new Error(`Kafka exited during start-up (code ${exited.value.code}, signal ${exited.value.signal})`);
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.listTopics();
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Kafka did not answer within ${READY_TIMEOUT_MS / 1000} s: ${lastError?.message ?? 'timeout'}`);
}

/**
 * Starts a broker and resolves once it answers metadata requests.
 * @param {{ port?: number, controllerPort?: number, dataDir?: string, libsDir?: string, log?: (message: string) => void }} [options]
 * @returns {Promise<{ brokers: string, pid: number, dataDir: string, exited: Promise<{ code: number | null, signal: string | null }>, stop(): Promise<void> }>}
 */
export async function startKafka({ port = 9092, controllerPort, dataDir, libsDir, log = () => {} } = {}) {
  const jars = await ensureKafkaJars({ libsDir, log });
  const brokerPort = port === 0 ? await freePort() : await assertPortFree(port);
  const quorumPort = controllerPort || (await freePort());
  const dir = resolve(dataDir ?? mkdtempSync(join(tmpdir(), 'kafka-')));
  mkdirSync(dir, { recursive: true });

  const propsFile = join(dir, 'server.properties');
  const log4jFile = join(dir, 'log4j.properties');
  const logFile = join(dir, 'server.log');
  const logDirs = join(dir, 'kraft-logs');
  writeFileSync(propsFile, serverProperties({ port: brokerPort, controllerPort: quorumPort, logDirs }));
  writeFileSync(log4jFile, log4jProperties(logFile));

  const classpath = `${jars}/*`;
  const jvmLogging = [`-Dlog4j.configuration=file:${log4jFile}`, `-Dkafka.logs.dir=${dir}`];
  const formatStarted = Date.now();
  // A data dir that was formatted before keeps its cluster id and topics.
  if (!existsSync(join(logDirs, 'meta.properties'))) {
    await execFileAsync('java', [
      ...jvmLogging,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      randomClusterId(),
      '-c',
      propsFile,
    ]);
  }

  const javaArgs = ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', '-Djava.awt.headless=true', ...jvmLogging, '-cp', classpath, 'kafka.Kafka', propsFile];
  // On Linux, setpriv makes the kernel SIGTERM the broker if our process dies without cleaning up (kill -9, crash).
  const [command, args] = (await hasPdeathsig()) ? ['setpriv', ['--pdeathsig', 'TERM', 'java', ...javaArgs]] : ['java', javaArgs];
  const out = openSync(join(dir, 'stdout.log'), 'a');
  const child = spawn(command, args, { stdio: ['ignore', out, out] });
  closeSync(out);
  const exited = { value: undefined };
  const exitPromise = new Promise((r) => child.once('exit', (code, signal) => r((exited.value = { code, signal }))));
  // A broker must never outlive the process that started it, even when that process dies abruptly.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const brokers = `127.0.0.1:${brokerPort}`;
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      if (!exited.value) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exitPromise;
        clearTimeout(timer);
      }
      process.removeListener('exit', killOnExit);
    })());

  try {
    await waitUntilReady(brokers, exited, Date.now() + READY_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n--- ${logFile} ---\n${tail(logFile)}\n--- stdout.log ---\n${tail(join(dir, 'stdout.log'))}`);
  }
  log(`Kafka ${brokers} ready in ${((Date.now() - formatStarted) / 1000).toFixed(1)} s (pid ${child.pid}, data ${dir})`);
  return { brokers, pid: child.pid, dataDir: dir, exited: exitPromise, stop };
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--port') options.port = Number(value());
    else if (flag === '--controller-port') options.controllerPort = Number(value());
    else if (flag === '--data-dir') options.dataDir = resolve(value());
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return options;
}

async function main([command, ...rest]) {
  if (command !== 'start') {
    console.error('usage: node tools/kafka/kafka.mjs start [--port 9092] [--controller-port N] [--data-dir .kafka/data]');
    process.exit(2);
  }
  // kafkajs on Node 24 triggers a harmless TimeoutNegativeWarning (kafkajs#1751-style negative setTimeout).
  process.removeAllListeners('warning');
  process.on('warning', (warning) => warning.name !== 'TimeoutNegativeWarning' && console.error(`${warning.name}: ${warning.message}`));
  const options = { dataDir: join(repoRoot, '.kafka', 'data'), ...parseArgs(rest) };
  const kafka = await startKafka({ ...options, log: (message) => console.error(`[kafka] ${message}`) });
  console.log(`KAFKA_BROKERS=${kafka.brokers}`);
  let stopping = false;
  const shutdown = async (signal) => {
    stopping = true;
    console.error(`[kafka] ${signal}: stopping pid ${kafka.pid}…`);
    await kafka.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  const { code, signal } = await kafka.exited;
  if (stopping) return;
  console.error(`[kafka] broker exited unexpectedly (code ${code}, signal ${signal}); see ${kafka.dataDir}/server.log`);
  process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`[kafka] ${error.message}`);
    process.exit(1);
  });
}
