import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { inTransaction } from '@platform/event-store';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';

export const SIGNING_ALGORITHM = 'ES256';
/** A retired key stays in the JWKS this long, so tokens it signed keep verifying until they expire. */
export const KEY_OVERLAP_SECONDS = 24 * 3600;
const REFRESH_MS = 30_000;

type Key = Awaited<ReturnType<typeof importJWK>>;

interface SigningKey {
  kid: string;
  privateKey: Key;
  publicJwk: JWK;
  createdAt: number;
  retiredAt: number | null;
}

/**
 * Asymmetric signing keys for access tokens, created on first start and kept in PostgreSQL so every
 * replica signs and verifies with the same set. `rotate()` adds a new signer; the previous key stays
 * published (and accepted) for `KEY_OVERLAP_SECONDS`.
 */
@Injectable()
export class SigningKeys implements OnApplicationBootstrap, OnApplicationShutdown {
  private keys: SigningKey[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
  ) {}

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
    return key ? importJWK(key.publicJwk, SIGNING_ALGORITHM) : undefined;
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

  private published(): SigningKey[] {
    const horizon = Date.now() - KEY_OVERLAP_SECONDS * 1000;
    return this.keys.filter((key) => key.retiredAt === null || key.retiredAt > horizon);
  }

  private async ensureActiveKey(): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // Replicas start at once: one creates the first key, the others then find it.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`signing-keys:${this.schema}`]);
      const { rows } = await client.query(`SELECT 1 FROM "${this.schema}".signing_keys WHERE retired_at IS NULL`);
      if (rows.length === 0) await this.insertKey(client);
    });
  }

  private async insertKey(client: { query: Pool['query'] }): Promise<string> {
    const kid = uuidv7();
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALGORITHM };
    await client.query(`INSERT INTO "${this.schema}".signing_keys (kid, private_jwk, public_jwk) VALUES ($1, $2, $3)`, [kid, privateJwk, publicJwk]);
    return kid;
  }

  private async load(): Promise<void> {
    const { rows } = await this.pool.query(`SELECT * FROM "${this.schema}".signing_keys ORDER BY created_at, kid`);
    this.keys = await Promise.all(
      rows.map(async (row) => ({
        kid: row.kid,
        privateKey: await importJWK(row.private_jwk, SIGNING_ALGORITHM),
        publicJwk: row.public_jwk,
        createdAt: new Date(row.created_at).getTime(),
        retiredAt: row.retired_at ? new Date(row.retired_at).getTime() : null,
      })),
    );
  }
}
