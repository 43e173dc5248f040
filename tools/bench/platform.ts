import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { basic, FORM, form } from './load';
import { freePort, startChild, waitHealthy } from './processes';
import { reachableTempDir } from '@platform/testing';

/** One running deployment of ours, with the database it writes to. */
export interface Platform {
  kind: 'embedded' | 'stack';
  url: string;
  databaseUrl: string;
  /** Prefix of its PostgreSQL schemas (`<prefix>token`, …). */
  schemaPrefix: string;
  /** The app's process (embedded only; the stack has several), for CPU readings. */
  pid?: number;
  stop(): Promise<void>;
}

/** A profile with an authorization token and a confidential application registered by it. */
export interface Account {
  username: string;
  password: string;
  profileToken: string;
  clientId: string;
  clientSecret: string;
  clientAuthorization: string;
}

export const repoRoot = join(__dirname, '..', '..', '..');
const CONTEXT_SCHEMAS = ['gateway', 'profile', 'token', 'oauth_app'];
/** The bench measures throughput, so the brute-force limits are lifted (LOG_LEVEL keeps logging cheap). */
const BENCH_ENV = { LOG_LEVEL: 'warn', AUTH_ATTEMPTS_PER_CLIENT: '1000000000', AUTH_FREE_FAILURES: '1000000000', REGISTRATIONS_PER_CLIENT: '1000000000' };

/** `npm start`: dist/apps/embedded/src/main.js, its own embedded PostgreSQL in a temporary DATA_DIR. */
export async function startEmbedded(): Promise<Platform> {
  const dataDir = reachableTempDir(join(tmpdir(), 'bench-embedded-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, ...BENCH_ENV, PORT: String(port), ISSUER: `http://127.0.0.1:${port}`, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.KAFKA_BROKERS;
  delete env.DB_SCHEMA_PREFIX;
  const child = startChild('embedded', join(repoRoot, 'dist/apps/embedded/src/main.js'), env);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(`${url}/health`, child);
  } catch (error) {
    await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  // postmaster.pid's fourth line is the port the embedded cluster chose.
  const pgPort = readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3].trim();
  const pgPassword = encodeURIComponent(readFileSync(join(dataDir, 'postgres.password'), 'utf8').trim());
  return {
    kind: 'embedded',
    url,
    pid: child.pid,
    databaseUrl: `postgres://postgres:${pgPassword}@127.0.0.1:${pgPort}/platform`,
    schemaPrefix: '',
    async stop() {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface StackHandle {
  gatewayUrl: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** The four processes on a Kafka of their own (tools/stack.mjs) and the shared PostgreSQL, under a unique prefix. */
export async function startStack(run: string): Promise<Platform> {
  const prefix = `bench_${run}_`;
  // An ES module; Node ≥ 22.12 require()s it.
  const { startStack: start } = require(join(repoRoot, 'tools', 'stack.mjs')) as { startStack: (options: object) => Promise<StackHandle> };
  const stack = await start({
    gatewayPort: 0,
    healthPorts: [0, 0, 0],
    kafkaPort: 0,
    kafkaDataDir: null,
    env: { ...BENCH_ENV, KAFKA_TOPIC_PREFIX: `bench.${run}.`, DB_SCHEMA_PREFIX: prefix },
    log: () => undefined,
  });
  return {
    kind: 'stack',
    url: stack.gatewayUrl,
    databaseUrl: stack.databaseUrl,
    schemaPrefix: prefix,
    async stop() {
      await stack.stop();
      const pool = new Pool({ connectionString: stack.databaseUrl, max: 1 });
      try {
        for (const schema of CONTEXT_SCHEMAS) await pool.query(`DROP SCHEMA IF EXISTS "${prefix}${schema}" CASCADE`);
      } finally {
        await pool.end();
      }
    },
  };
}

async function call(url: string, init: RequestInit, expected: number): Promise<Record<string, string>> {
  const response = await fetch(url, init);
  const body = (await response.json()) as Record<string, string>;
  if (response.status !== expected) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

export const post = (body: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { ...FORM, ...headers },
  body: form(body),
});

export async function waitSucceeded(url: string, commandId: string, profileToken?: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await call(`${url}/request-status/${commandId}`, { headers: profileToken ? { 'x-dpt-authorization': profileToken } : {} }, 200);
    if (status.status === 'succeeded') return;
    if (status.status !== 'started') throw new Error(`command ${commandId} ${status.status}: ${JSON.stringify(status)}`);
    if (Date.now() > deadline) throw new Error(`command ${commandId} still started after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Registers a profile, signs in, registers a confidential application and reads its secret (all through the API). */
export async function createAccount(platform: Platform, run: string): Promise<Account> {
  const { url } = platform;
  const username = `bench.${run}.${platform.kind}`;
  const password = 'benchmark passphrase 0123456789 sidebyside';
  const { commandId } = await call(`${url}/profile/register-profile`, post({ username, password }), 202);
  await waitSucceeded(url, commandId);
  const { authorizationToken: profileToken } = await call(`${url}/profile/authenticate`, post({ username, password }), 200);
  const profile = { 'x-dpt-authorization': profileToken };
  const registered = await call(`${url}/profile/oauth-application-register`, post({ name: 'bench', redirectUri: 'https://bench.example/cb', scopes: 'profile:read' }, profile), 202);
  await waitSucceeded(url, registered.commandId, profileToken);
  const { clientId, clientSecret } = await call(`${url}/profile/retrieve-oauth-application-configuration`, post({ applicationId: registered.commandId }, profile), 200);
  return { username, password, profileToken, clientId, clientSecret, clientAuthorization: basic(clientId, clientSecret) };
}

/** A fresh access token (our ES256 JWT) for the introspection row. */
export async function clientCredentialsToken(platform: Platform, account: Account): Promise<string> {
  const body = await call(`${platform.url}/oauth/token`, post({ grant_type: 'client_credentials' }, { authorization: account.clientAuthorization }), 200);
  return body.access_token;
}

/** The stored argon2id hash of the account's password: exactly the parameters password-hashing.ts used. */
export async function storedPasswordHash(platform: Platform, account: Account): Promise<string> {
  const pool = new Pool({ connectionString: platform.databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query(
      `SELECT data->>'passwordHash' AS hash FROM "${platform.schemaPrefix}profile".events
        WHERE event_type = 'ProfileRegistered' AND data->>'username' = $1`,
      [account.username],
    );
    if (!rows[0]?.hash) throw new Error(`no ProfileRegistered event for ${account.username}`);
    return rows[0].hash as string;
  } finally {
    await pool.end();
  }
}
