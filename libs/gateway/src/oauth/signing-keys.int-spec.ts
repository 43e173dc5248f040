import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import { Pool } from 'pg';
import { loadConfig } from '@platform/config';
import { migrateSchema } from '@platform/event-store';
import { uniqueName } from '@platform/testing';
import { GATEWAY_MIGRATIONS } from '../migrations';
import { AccessTokens } from './access-tokens';
import { KeyEncryptionError, MISSING_SECRET_MESSAGE } from './key-encryption';
import { SIGNING_ALGORITHM, SigningKeys } from './signing-keys';

const OLD_SECRET = 'old-secret-0123456789abcdef0123456789abcdef';
const NEW_SECRET = 'new-secret-0123456789abcdef0123456789abcdef';
const withSecrets = (...secrets: string[]) => ({ keyEncryptionSecrets: secrets });

describe('signing keys (real PostgreSQL)', () => {
  const schema = uniqueName('keys');
  const config = loadConfig({ ISSUER: 'https://issuer.test' });
  let pool: Pool;

  beforeAll(async () => {
    pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
    await migrateSchema({ databaseUrl: process.env.DATABASE_URL!, schema, migrations: GATEWAY_MIGRATIONS });
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  const claims = { jti: 'j-1', clientId: 'c-1', scopes: ['profile:read'], grantId: 'g-1', applicationId: 'a-1', profileId: 'p-1', expiresAt: Date.now() + 60_000 };

  it('creates one key on first start, shared by every replica, and rotates with overlap', async () => {
    const first = new SigningKeys(pool, schema, withSecrets(OLD_SECRET));
    const second = new SigningKeys(pool, schema, withSecrets(OLD_SECRET));
    await Promise.all([first.onApplicationBootstrap(), second.onApplicationBootstrap()]);
    expect(first.jwks().keys).toHaveLength(1);
    expect(second.jwks()).toEqual(first.jwks());
    expect(first.jwks().keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(first.jwks().keys[0]).not.toHaveProperty('d');

    const tokens = new AccessTokens(config, first);
    const before = await tokens.sign(claims);
    const oldKid = decodeProtectedHeader(before).kid;

    const newKid = await first.rotate();
    expect(newKid).not.toBe(oldKid);
    const after = await tokens.sign(claims);
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    expect(first.jwks().keys.map((key) => key.kid)).toEqual([oldKid, newKid]);

    // The other replica has not reloaded yet: it finds the new kid on demand and still accepts the old one.
    const verifier = new AccessTokens(config, second);
    expect(await verifier.verify(after)).toMatchObject({ jti: 'j-1', profileId: 'p-1', scopes: ['profile:read'] });
    expect(await verifier.verify(before)).toMatchObject({ jti: 'j-1' });
    expect(await verifier.verify(after.slice(0, -4) + 'AAAA')).toBeUndefined();
    first.onApplicationShutdown();
    second.onApplicationShutdown();
  });

  it('stores private keys only encrypted: no JWK member of the private key in any column', async () => {
    const keys = new SigningKeys(pool, schema, withSecrets(OLD_SECRET));
    await keys.onApplicationBootstrap();
    keys.onApplicationShutdown();
    const { rows } = await pool.query(`SELECT private_jwk, private_jwe, encryption_key_id, row_to_json(k)::text AS whole FROM "${schema}".signing_keys k`);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row.private_jwk).toBeNull();
      expect(row.private_jwe.split('.')).toHaveLength(5);
      expect(decodeProtectedHeader(row.private_jwe)).toMatchObject({ alg: 'dir', enc: 'A256GCM', kid: row.encryption_key_id });
      expect(row.whole).not.toMatch(/"d"/);
    }
  });

  it('refuses a missing, short or wrong secret with a clear error', async () => {
    expect(() => new SigningKeys(pool, schema, {})).toThrow(MISSING_SECRET_MESSAGE);
    expect(() => new SigningKeys(pool, schema, withSecrets('short'))).toThrow(/at least 32 characters/);
    const wrong = new SigningKeys(pool, schema, withSecrets(NEW_SECRET));
    await expect(wrong.onApplicationBootstrap()).rejects.toThrow(KeyEncryptionError);
    await expect(wrong.onApplicationBootstrap()).rejects.toThrow(/no secret in KEY_ENCRYPTION_SECRET derives/);
  });

  it('re-encrypts every key with the first secret, after which the old secret can go', async () => {
    const signed = await new AccessTokens(config, await started(OLD_SECRET)).sign(claims);
    const rotating = new SigningKeys(pool, schema, withSecrets(NEW_SECRET, OLD_SECRET));
    await rotating.onApplicationBootstrap(); // both secrets decrypt while the rotation is under way
    rotating.onApplicationShutdown();
    expect(await rotating.reencrypt()).toBeGreaterThanOrEqual(2);
    expect(await rotating.reencrypt()).toBe(0);

    const rotated = await started(NEW_SECRET);
    expect(await new AccessTokens(config, rotated).verify(signed)).toMatchObject({ jti: 'j-1' });
    expect(decodeProtectedHeader(await new AccessTokens(config, rotated).sign(claims)).kid).toBe(decodeProtectedHeader(signed).kid);
    await expect(started(OLD_SECRET)).rejects.toThrow(KeyEncryptionError);
  });

  it('encrypts plain-text keys of an older database in place, and they keep signing', async () => {
    const legacy = uniqueName('keys_legacy');
    try {
      const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
      const kid = 'legacy-kid';
      await pool.query(`CREATE SCHEMA "${legacy}"`);
      await pool.query(`CREATE TABLE "${legacy}".signing_keys (
        kid text PRIMARY KEY, private_jwk jsonb NOT NULL, public_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(), retired_at timestamptz)`);
      await pool.query(`INSERT INTO "${legacy}".signing_keys (kid, private_jwk, public_jwk) VALUES ($1, $2, $3)`, [
        kid,
        { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALGORITHM },
        { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' },
      ]);
      const before = await new SignJWT({}).setProtectedHeader({ alg: SIGNING_ALGORITHM, kid }).sign(privateKey);
      await migrateSchema({ databaseUrl: process.env.DATABASE_URL!, schema: legacy, migrations: GATEWAY_MIGRATIONS });

      const keys = new SigningKeys(pool, legacy, withSecrets(OLD_SECRET));
      await keys.onApplicationBootstrap();
      keys.onApplicationShutdown();
      const { rows } = await pool.query(`SELECT private_jwk, private_jwe, row_to_json(k)::text AS whole FROM "${legacy}".signing_keys k`);
      expect(rows).toHaveLength(1);
      expect(rows[0].private_jwk).toBeNull();
      expect(rows[0].whole).not.toMatch(/"d"/);
      expect(keys.signer.kid).toBe(kid);
      expect(await keys.verificationKey(kid)).toBeDefined();
      const after = await new SignJWT({}).setProtectedHeader({ alg: SIGNING_ALGORITHM, kid }).sign(keys.signer.privateKey);
      const verificationKey = (await keys.verificationKey(kid))!;
      await expect(jwtVerify(before, verificationKey)).resolves.toBeDefined();
      await expect(jwtVerify(after, verificationKey)).resolves.toBeDefined();
      await expect(jwtVerify(after, await importJWK({ ...(await exportJWK(publicKey)) }, SIGNING_ALGORITHM))).resolves.toBeDefined();
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS "${legacy}" CASCADE`);
    }
  });

  async function started(secret: string): Promise<SigningKeys> {
    const keys = new SigningKeys(pool, schema, withSecrets(secret));
    await keys.onApplicationBootstrap();
    keys.onApplicationShutdown();
    return keys;
  }
});
