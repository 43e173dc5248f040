import { chmodSync, mkdtempSync } from 'node:fs';

/**
 * A new temporary directory that the embedded PostgreSQL's system user may enter (as root it runs as
 * `postgres`; mkdtemp makes 0700 dirs, which would send the cluster to a fallback dir outside it).
 * Only the directory made here is opened (0755): its parents are left as they are.
 */
export function reachableTempDir(prefix: string): string {
  const dir = mkdtempSync(prefix);
  chmodSync(dir, 0o755);
  return dir;
}
