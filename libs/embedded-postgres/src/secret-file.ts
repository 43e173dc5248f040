import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The secret kept in `file` (mode 0600), made with 32 random bytes on first use, like Keycloak's
 * dev-mode keys. A file readable by others is tightened to 0600.
 */
export async function readOrCreateSecretFile(file: string): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((await stat(file)).mode & 0o077) await chmod(file, 0o600);
  const secret = (await readFile(file, 'utf8')).trim();
  if (!secret) throw new Error(`${file} is empty: delete it to have a new secret made`);
  return secret;
}
