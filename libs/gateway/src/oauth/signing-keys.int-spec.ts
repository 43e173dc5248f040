import { decodeProtectedHeader } from 'jose';
import { Pool } from 'pg';
import { loadConfig } from '@platform/config';
import { migrateSchema } from '@platform/event-store';
import { uniqueName } from '@platform/testing';
import { GATEWAY_MIGRATIONS } from '../migrations';
import { AccessTokens } from './access-tokens';
import { SigningKeys } from './signing-keys';

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
    const first = new SigningKeys(pool, schema);
    const second = new SigningKeys(pool, schema);
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
});
