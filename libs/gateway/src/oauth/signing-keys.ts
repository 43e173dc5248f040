import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Pool, PoolClient } from 'pg';
import type { PlatformConfig } from '@platform/config';
import { v7 as uuidv7 } from 'uuid';
import { inTransaction } from '@platform/event-store';
import { PG_POOL, PLATFORM_CONFIG } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { KeyEncryption } from './key-encryption';

export const SIGNING_ALGORITHM = 'ES256';
/** A retired key stays in the JWKS this long, so tokens it signed keep verifying until they expire. */
export const KEY_OVERLAP_SECONDS = 24 * 3600;
const REFRESH_MS = 30_000;

type Key = Awaited<ReturnType<typeof importJWK>>;

interface SigningKey {
  kid: string;
  privateJwe: string;
  privateKey: Key;
  /** Imported once per key: importing costs more than the verification itself. */
  publicKey: Key;
  publicJwk: JWK;
  createdAt: number;
  retiredAt: number | null;
}

/**
 * Asymmetric signing keys for access tokens, created on first start and kept in PostgreSQL so every
 * replica signs and verifies with the same set. `rotate()` adds a new signer; the previous key stays
 * published (and accepted) for `KEY_OVERLAP_SECONDS`. Private keys are stored only encrypted
 * (`KeyEncryption`); rows from before encryption are encrypted in place on start.
 */
@Injectable()
export class SigningKeys implements OnApplicationBootstrap, OnApplicationShutdown {
  private keys: SigningKey[] = [];
  private timer?: NodeJS.Timeout;
  private readonly encryption: KeyEncryption;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    @Inject(PLATFORM_CONFIG) config: Pick<PlatformConfig, 'keyEncryptionSecrets'>,
  ) {
    this.encryption = new KeyEncryption(config.keyEncryptionSecrets);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureActiveKey();
    await this.load();
    this.timer = setInterval(() => void this.load().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The newest key that is not retired signs. */
  get signer(): SigningKey {
    const active = this.keys.filter((key) => key.retiredAt === null);
    if (active.length === 0) throw new Error('no active signing key');
    return active[active.length - 1];
  }

  /** Public keys of the active key and of keys retired within the overlap. */
  jwks(): { keys: JWK[] } {
    return { keys: this.published().map((key) => key.publicJwk) };
  }

  async verificationKey(kid: string | undefined): Promise<Key | undefined> {
    let key = this.published().find((candidate) => candidate.kid === kid);
    if (!key && kid) {
      await this.load();
      key = this.published().find((candidate) => candidate.kid === kid);
    }
    return key?.publicKey;
  }

  /** Adds a new signer and retires the current ones (they stay published for the overlap). */
  async rotate(): Promise<string> {
    const kid = await inTransaction(this.pool, async (client) => {
      await client.query(`UPDATE "${this.schema}".signing_keys SET retired_at = now() WHERE retired_at IS NULL`);
      return this.insertKey(client);
    });
    await this.load();
    return kid;
  }

  /** Re-encrypts every stored private key with the first secret; returns how many changed. */
  async reencrypt(): Promise<number> {
    await this.ensureActiveKey();
    return inTransaction(this.pool, async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`signing-keys:${this.schema}`]);
      const { rows } = await client.query(
        `SELECT kid, private_jwe FROM "${this.schema}".signing_keys WHERE encryption_key_id IS DISTINCT FROM $1 FOR UPDATE`,
        [this.encryption.currentKeyId],
      );
      for (const row of rows) await this.storePrivateJwk(client, row.kid, await this.encryption.decrypt(row.private_jwe, row.kid));
      return rows.length;
    });
  }

  private published(): SigningKey[] {
    const horizon = Date.now() - KEY_OVERLAP_SECONDS * 1000;
    return this.keys.filter((key) => key.retiredAt === null || key.retiredAt > horizon);
  }

  private async ensureActiveKey(): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // Replicas start at once: one encrypts what an older version stored in clear and creates the first key.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`signing-keys:${this.schema}`]);
      const plain = await client.query(`SELECT kid, private_jwk FROM "${this.schema}".signing_keys WHERE private_jwk IS NOT NULL`);
      for (const row of plain.rows) await this.storePrivateJwk(client, row.kid, { ...row.private_jwk, kid: row.kid });
      const { rows } = await client.query(`SELECT 1 FROM "${this.schema}".signing_keys WHERE retired_at IS NULL`);
      if (rows.length === 0) await this.insertKey(client);
    });
  }

  private async insertKey(client: PoolClient): Promise<string> {
    const kid = uuidv7();
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' };
    await client.query(`INSERT INTO "${this.schema}".signing_keys (kid, public_jwk) VALUES ($1, $2)`, [kid, publicJwk]);
    await this.storePrivateJwk(client, kid, { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALGORITHM });
    return kid;
  }

  private async storePrivateJwk(client: PoolClient, kid: string, privateJwk: JWK): Promise<void> {
    await client.query(
      `UPDATE "${this.schema}".signing_keys SET private_jwe = $2, encryption_key_id = $3, private_jwk = NULL WHERE kid = $1`,
      [kid, await this.encryption.encrypt(privateJwk), this.encryption.currentKeyId],
    );
  }

  private async load(): Promise<void> {
    const { rows } = await this.pool.query(`SELECT * FROM "${this.schema}".signing_keys ORDER BY created_at, kid`);
    const known = new Map(this.keys.map((key) => [key.kid, key]));
    this.keys = await Promise.all(
      rows.map(async (row) => {
        const cached = known.get(row.kid);
        return {
          kid: row.kid,
          privateJwe: row.private_jwe,
          privateKey:
            cached && cached.privateJwe === row.private_jwe
              ? cached.privateKey
              : await importJWK(await this.encryption.decrypt(row.private_jwe, row.kid), SIGNING_ALGORITHM),
          publicKey: cached ? cached.publicKey : await importJWK(row.public_jwk, SIGNING_ALGORITHM),
          publicJwk: row.public_jwk,
          createdAt: new Date(row.created_at).getTime(),
          retiredAt: row.retired_at ? new Date(row.retired_at).getTime() : null,
        };
      }),
    );
  }
}
