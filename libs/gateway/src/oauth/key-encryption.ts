import { hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, type JWK } from 'jose';

export const MIN_SECRET_LENGTH = 32;
const SALT = 'oauth-platform signing keys at rest';

export const MISSING_SECRET_MESSAGE =
  'KEY_ENCRYPTION_SECRET (or KEY_ENCRYPTION_SECRET_FILE) is required: it encrypts the private signing keys stored in PostgreSQL. ' +
  'Generate one with `openssl rand -base64 32`; to rotate, list the new secret first: KEY_ENCRYPTION_SECRET=new,old.';

/** A wrong or missing secret, or a ciphertext that does not decrypt. */
export class KeyEncryptionError extends Error {}

interface EncryptionKey {
  id: string;
  key: Uint8Array;
}

const derive = (secret: string, info: string, length: number): Uint8Array => new Uint8Array(hkdfSync('sha256', secret, SALT, info, length));

/**
 * Encrypts private JWKs at rest as compact JWEs (`dir`, A256GCM) under a key derived with HKDF from a
 * configured secret, like Hydra's system secret. The JWE header names the derived key's id, so with
 * several secrets (newest first) every stored key finds the one that decrypts it.
 */
export class KeyEncryption {
  private readonly keys: EncryptionKey[];

  constructor(private readonly secrets: readonly string[] | undefined) {
    if (!secrets?.length) throw new KeyEncryptionError(MISSING_SECRET_MESSAGE);
    if (secrets.some((secret) => secret.length < MIN_SECRET_LENGTH)) {
      throw new KeyEncryptionError(`every KEY_ENCRYPTION_SECRET must be at least ${MIN_SECRET_LENGTH} characters (openssl rand -base64 32)`);
    }
    this.keys = secrets.map((secret) => ({ id: Buffer.from(derive(secret, 'key id', 8)).toString('hex'), key: derive(secret, 'A256GCM key', 32) }));
  }

  /** The id of the key new ciphertexts are made with (the first secret's). */
  get currentKeyId(): string {
    return this.keys[0].id;
  }

  encrypt(jwk: JWK): Promise<string> {
    const [current] = this.keys;
    return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: current.id, cty: 'jwk+json' })
      .encrypt(current.key);
  }

  /** Any short-lived secret text (a stored answer that reveals a client secret), same key and format. */
  encryptText(text: string, contentType: string): Promise<string> {
    const [current] = this.keys;
    return new CompactEncrypt(new TextEncoder().encode(text)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: current.id, cty: contentType }).encrypt(current.key);
  }

  async decryptText(jwe: string): Promise<string> {
    const { kid: keyId } = decodeProtectedHeader(jwe);
    const key = this.keys.find((candidate) => candidate.id === keyId);
    if (!key) throw new KeyEncryptionError(`no secret in KEY_ENCRYPTION_SECRET derives key-encryption key ${String(keyId)}`);
    const { plaintext } = await compactDecrypt(jwe, key.key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
    return new TextDecoder().decode(plaintext);
  }

  /** A keyed hash (HMAC-SHA-256 under a key derived for `purpose`) for fingerprints of bodies that may hold a password. */
  macKey(purpose: string): Uint8Array {
    return derive(this.secrets![0], `mac ${purpose}`, 32);
  }

  /** The JWK inside `jwe`, which must carry `kid` (so a ciphertext cannot be moved to another row). */
  async decrypt(jwe: string, kid: string): Promise<JWK> {
    const { kid: keyId } = decodeProtectedHeader(jwe);
    const key = this.keys.find((candidate) => candidate.id === keyId);
    if (!key) {
      throw new KeyEncryptionError(
        `signing key ${kid} is encrypted with key-encryption key ${String(keyId)}, which no secret in KEY_ENCRYPTION_SECRET derives: ` +
          'the secret is wrong, or an old secret was dropped before `npm run rotate-encryption-key` re-encrypted the keys',
      );
    }
    let jwk: JWK;
    try {
      const { plaintext } = await compactDecrypt(jwe, key.key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
      jwk = JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
    } catch {
      throw new KeyEncryptionError(`signing key ${kid} does not decrypt with KEY_ENCRYPTION_SECRET: wrong secret or altered ciphertext`);
    }
    if (jwk.kid !== kid) throw new KeyEncryptionError(`the ciphertext stored for signing key ${kid} holds key ${String(jwk.kid)}`);
    return jwk;
  }
}
