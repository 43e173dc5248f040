import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { PlatformConfig } from '@platform/config';
import { qualified } from '@platform/event-store';
import { PG_POOL, PLATFORM_CONFIG } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../../gateway.options';
import { KeyEncryption } from '../../oauth/key-encryption';
import { IDEMPOTENCY_TTL_HOURS } from './idempotency-key';

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'reused' }
  | { kind: 'in_use' };

/** The key a request is running under, visible to the command dispatcher through the async context. */
export interface ActiveKey {
  scope: string;
  key: string;
  /** A `202` route: its answer is `{"commandId"}`, recorded by the dispatch's own transaction. */
  completeOnDispatch: boolean;
  completed: boolean;
}

/** A dispatch's Idempotency-Key answer, written in the dispatch's transaction. */
export interface DispatchCompletion {
  record(client: PoolClient): Promise<void>;
  committed(): void;
}

const activeKeys = new AsyncLocalStorage<ActiveKey>();
export const runWithKey = <T>(active: ActiveKey, work: () => T): T => activeKeys.run(active, work);

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * `gateway.idempotency_keys`: one row per (caller scope, key) for 24 h, shared by every replica. A row is
 * `in_progress` while its first request runs (a lease, so a crashed replica's claim frees itself) and
 * `completed` with the answer, whose body is stored as a JWE under KEY_ENCRYPTION_SECRET (it may
 * reveal a client secret).
 */
@Injectable()
export class IdempotencyRecords implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IdempotencyRecords');
  private readonly table: string;
  private readonly encryption: KeyEncryption;
  private readonly leaseMs: number;
  private purgeTimer?: NodeJS.Timeout;
  readonly macKey: Uint8Array;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
  ) {
    this.table = qualified(schema, 'idempotency_keys');
    this.encryption = new KeyEncryption(config.keyEncryptionSecrets);
    this.macKey = this.encryption.macKey('idempotency fingerprint');
    // The longest write (POST /o/apps/) waits for two commands.
    this.leaseMs = 3 * config.commandWaitTimeoutMs + 10_000;
  }

  onApplicationBootstrap(): void {
    this.purgeTimer = setInterval(() => void this.purgeExpired().catch((error: Error) => this.logger.warn(`purge: ${error.message}`)), PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.purgeTimer);
  }

  async purgeExpired(): Promise<number> {
    return (await this.pool.query(`DELETE FROM ${this.table} WHERE expires_at <= now()`)).rowCount ?? 0;
  }

  /** Takes the key for this request, or says what the earlier request with it answered or is doing. */
  async claim(scope: string, key: string, fingerprint: string): Promise<Claim> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimed = await this.pool.query(
        `INSERT INTO ${this.table} AS t (scope, idempotency_key, fingerprint, state, locked_until, expires_at)
         VALUES ($1, $2, $3, 'in_progress', now() + $4 * interval '1 millisecond', now() + $5 * interval '1 hour')
         ON CONFLICT (scope, idempotency_key) DO UPDATE
            SET fingerprint = EXCLUDED.fingerprint, state = 'in_progress', locked_until = EXCLUDED.locked_until,
                expires_at = EXCLUDED.expires_at, created_at = now(), response_status = NULL, response_headers = NULL, response_body = NULL
          WHERE t.expires_at <= now() OR (t.state = 'in_progress' AND t.locked_until <= now() AND t.fingerprint = EXCLUDED.fingerprint)
         RETURNING 1`,
        [scope, key, fingerprint, this.leaseMs, IDEMPOTENCY_TTL_HOURS],
      );
      if (claimed.rowCount) return { kind: 'claimed' };
      const { rows } = await this.pool.query<{ fingerprint: string; state: string; response_status: number; response_headers: Record<string, string>; response_body: string }>(
        `SELECT fingerprint, state, response_status, response_headers, response_body FROM ${this.table} WHERE scope = $1 AND idempotency_key = $2`,
        [scope, key],
      );
      const [row] = rows;
      if (!row) continue; // released in between: claim again
      if (row.fingerprint !== fingerprint) return { kind: 'reused' };
      if (row.state !== 'completed') return { kind: 'in_use' };
      const body = JSON.parse(await this.encryption.decryptText(row.response_body)) as { value: unknown };
      return { kind: 'replay', response: { status: row.response_status, headers: row.response_headers, body: body.value } };
    }
    return { kind: 'in_use' };
  }

  /** Records the answer; `client` puts it in a caller's transaction. */
  async complete(active: ActiveKey, response: StoredResponse, client?: PoolClient): Promise<void> {
    await this.writeCompleted(active, response, await this.seal(response), client ?? this.pool);
  }

  private seal(response: StoredResponse): Promise<string> {
    return this.encryption.encryptText(JSON.stringify({ value: response.body ?? null }), 'application/json');
  }

  private async writeCompleted(active: ActiveKey, response: StoredResponse, sealed: string, db: Pool | PoolClient): Promise<void> {
    await db.query(
      `UPDATE ${this.table} SET state = 'completed', response_status = $3, response_headers = $4, response_body = $5
        WHERE scope = $1 AND idempotency_key = $2 AND state = 'in_progress'`,
      [active.scope, active.key, response.status, response.headers, sealed],
    );
  }

  /** A request that failed before changing anything gives its key back, so a retry runs afresh. */
  async release(active: ActiveKey): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.table} WHERE scope = $1 AND idempotency_key = $2 AND state = 'in_progress'`, [active.scope, active.key]);
  }

  /**
   * Called by the dispatcher in the request's async context, before the command is queued: a `202`
   * route's answer is the command id, so the dispatch's (group) transaction records it with the
   * `started` row and the outbox row (`record`), and a crash after the commit cannot send a second
   * command on a retry. `committed` runs after that commit. Undefined when the request has no key to
   * complete. The answer is sealed here, outside the transaction.
   */
  async dispatchCompletion(commandId: string): Promise<DispatchCompletion | undefined> {
    const active = activeKeys.getStore();
    if (!active?.completeOnDispatch || active.completed) return undefined;
    const response: StoredResponse = { status: 202, headers: { 'x-dpt-cab-id': commandId }, body: { commandId } };
    const sealed = await this.seal(response);
    return {
      record: (client) => this.writeCompleted(active, response, sealed, client),
      committed: () => {
        active.completed = true;
      },
    };
  }
}
