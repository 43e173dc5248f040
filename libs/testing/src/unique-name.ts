import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * `prefix_` plus a random lowercase suffix: valid unquoted as a PostgreSQL schema (≤ 63 chars) and as a Kafka
 * topic or group name, so concurrent and repeated test runs never collide.
 */
export function uniqueName(prefix: string): string {
  if (!/^[a-z_][a-z0-9_]{0,49}$/.test(prefix)) {
    throw new Error(`uniqueName prefix must match [a-z_][a-z0-9_]* and be at most 50 characters: "${prefix}"`);
  }
  const suffix = Array.from(randomBytes(12), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
  return `${prefix}_${suffix}`;
}
