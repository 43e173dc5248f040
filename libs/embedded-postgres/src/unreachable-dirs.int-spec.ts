import { existsSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './index';
import { blockingAncestor, postgresUser, reachablePackageCopy } from './reachable-places';

const asRoot = process.getuid?.() === 0;
const ancestors = (path: string): string[] => {
  const dirs: string[] = [];
  for (let dir = dirname(path); dir !== parse(dir).root; dir = dirname(dir)) dirs.push(dir);
  return [...dirs, parse(path).root];
};
const modes = (dirs: string[]) => Object.fromEntries(dirs.map((dir) => [dir, statSync(dir).mode & 0o7777]));

describe('embedded PostgreSQL as root under a directory only root may enter', () => {
  const root = mkdtempSync(join(tmpdir(), 'embedded-pg-private-')); // mode 0700, owned by the test's user
  const dataDir = join(root, 'deep', 'postgres');
  let running: EmbeddedPostgres | undefined;

  afterAll(async () => {
    await running?.stop();
    if (running && running.dataDir !== dataDir) rmSync(running.dataDir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  }, 60_000);

  (asRoot ? it : it.skip)('runs copied binaries and a reachable data dir, and changes no ancestor’s mode', async () => {
    const postgres = await postgresUser();
    const before = modes(ancestors(join(root, 'x')));
    expect(before[root]).toBe(0o700);

    running = await startEmbeddedPostgres({ dataDir, port: 0, handleSignals: false, copyBinaries: true });

    const client = new Client({ connectionString: running.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>("SELECT current_setting('data_directory') AS data_directory");
    await client.end();
    expect(rows[0].data_directory).toBe(running.dataDir);
    expect(running.dataDir.startsWith(root)).toBe(false);
    expect(await blockingAncestor(join(running.dataDir, 'PG_VERSION'), (postgres ?? (await postgresUser()))!)).toBeUndefined();
    expect(existsSync(join(root, 'deep', 'postgres.password'))).toBe(true); // the secret stays with the configured dir
    expect(modes(ancestors(join(root, 'x')))).toEqual(before);
    expect(statSync(root).mode & 0o7777).toBe(0o700);
  }, 180_000);
});

describe('blockingAncestor', () => {
  const user = { uid: 4242, groups: [4242] };
  it('names the first directory the user may not search', async () => {
    const root = mkdtempSync(join(tmpdir(), 'reach-'));
    try {
      expect(await blockingAncestor(join(root, 'a', 'b'), user)).toBe(asRoot || process.getuid?.() !== 4242 ? root : undefined);
      expect(await blockingAncestor(join(tmpdir(), 'not-there', 'x'), user)).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('reachablePackageCopy', () => {
  it('rebuilds a copy whose links point into a checkout that is gone', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'package-copy-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const copy = await reachablePackageCopy(require);
      const pg = join(copy, 'node_modules', 'pg');
      rmSync(pg);
      symlinkSync(join(tmp, 'a-removed-checkout', 'node_modules', 'pg'), pg, 'dir');
      expect(existsSync(pg)).toBe(false);

      expect(await reachablePackageCopy(require)).toBe(copy);
      expect(realpathSync(pg)).toBe(realpathSync(dirname(require.resolve('pg/package.json'))));
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
