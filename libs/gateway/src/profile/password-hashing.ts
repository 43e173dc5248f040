import * as argon2 from 'argon2';

/** argon2id with OWASP's minimum profile (19 MiB, 2 passes, 1 lane): strong, and cheap enough for a 2-core gateway. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, OPTIONS);

/** Verifying against a fixed hash when the user is unknown keeps both failures equally slow. */
const decoy = hashPassword('decoy password for timing');

export const verifyPassword = async (hash: string | undefined, password: string): Promise<boolean> => {
  try {
    return (await argon2.verify(hash ?? (await decoy), password)) && hash !== undefined;
  } catch {
    return false;
  }
};
