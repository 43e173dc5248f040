import * as argon2 from 'argon2';

/** argon2id with OWASP's minimum profile (19 MiB, 2 passes, 1 lane): strong, and cheap enough for a 2-core gateway. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, OPTIONS);

let decoy: Promise<string> | undefined;

/** A hash with the real parameters, made once, to verify against when the username is unknown. */
export const decoyHash = (): Promise<string> => (decoy ??= hashPassword('decoy password for timing'));

/**
 * Always runs one argon2id verification, against the decoy when there is no hash, so an unknown
 * username costs as much as a wrong password.
 */
export const verifyPassword = async (hash: string | undefined, password: string): Promise<boolean> => {
  try {
    return (await argon2.verify(hash ?? (await decoyHash()), password)) && hash !== undefined;
  } catch {
    return false;
  }
};
