import { type CanActivate, type ExecutionContext, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { PlatformConfig } from '@platform/config';
import { ErrorCodes } from '@platform/contracts';
import { PG_POOL, PLATFORM_CONFIG } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { ApiError } from './errors';
import { sha256 } from './profile-auth';

const TABLE = 'rate_limits';

/** Seconds a caller must wait; `undefined` when the attempt may go ahead. */
export type Wait = number | undefined;

/** A read that rides along with an attempt's claim: a named scalar SQL expression of one parameter. */
export interface Alongside {
  name: string;
  expression: (parameter: string) => string;
  value: string;
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** Runs `consume`, turning the limiter's rejection into the seconds to wait. */
const allowed = async (consume: () => Promise<RateLimiterRes>): Promise<Wait> => {
  try {
    await consume();
    return undefined;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return seconds(rejection.msBeforeNext);
    throw rejection;
  }
};

/**
 * Every brute-force limit of the gateway, in one PostgreSQL table (rate-limiter-flexible's
 * `RateLimiterPostgres`) so all replicas share them. Per username: an attempt is counted before the
 * password is checked and the count is cleared by a success, so only failures remain counted and a
 * burst of parallel guesses cannot slip past the budget. After `authFreeFailures` failures each
 * further attempt must wait for a gate that doubles from 1 s to `authMaxDelaySeconds`.
 */
@Injectable()
export class BruteForceLimits {
  private readonly perClient: RateLimiterPostgres;
  private readonly registrations: RateLimiterPostgres;
  private readonly failureCount: RateLimiterPostgres;
  private readonly gate: RateLimiterPostgres;
  private readonly freePoints: number;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    const limiter = (keyPrefix: string, points: number, duration: number, clearExpiredByTimeout = false) =>
      new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        schemaName: schema,
        tableName: TABLE,
        tableCreated: true,
        clearExpiredByTimeout,
        keyPrefix,
        points,
        duration,
      });
    const memory = config.authFailureMemorySeconds;
    this.perClient = limiter('client', config.authAttemptsPerClient, config.authAttemptWindowSeconds, true);
    this.registrations = limiter('register', config.registrationsPerClient, config.registrationWindowSeconds);
    this.freePoints = Math.max(config.authFreeFailures - 1, 0);
    this.failureCount = limiter('failures', 1, memory);
    this.gate = limiter('gate', 1, config.authMaxDelaySeconds);
  }

  clientAttempt(clientAddress: string): Promise<Wait> {
    return allowed(() => this.perClient.consume(clientAddress));
  }

  registration(clientAddress: string): Promise<Wait> {
    return allowed(() => this.registrations.consume(clientAddress));
  }

  /**
   * One password attempt: the client address's budget, then the username's free failures (untouched
   * when the client's is spent), claimed in one statement on the limiters' rows with their arithmetic;
   * past the free failures, the gate. Call `succeeded` when the password was right. `alongside`
   * is a scalar SQL expression (its one parameter is `$7`) evaluated in the same statement, so a caller
   * that must read something for the attempt anyway (the credentials) saves a round trip.
   */
  async attempt<T = never>(clientAddress: string, username: string, alongside?: Alongside): Promise<{ wait: Wait; alongside?: T }> {
    const key = usernameKey(username);
    const now = Date.now();
    const table = `"${this.schema}".${TABLE}`;
    const upsert = `ON CONFLICT (key) DO UPDATE SET
        points = CASE WHEN r.expire <= $5 THEN EXCLUDED.points ELSE r.points + EXCLUDED.points END,
        expire = CASE WHEN r.expire <= $5 THEN EXCLUDED.expire ELSE r.expire END
      RETURNING points, expire`;
    const { rows } = await this.pool.query<{ client_points: number; client_expire: string; free_points: number | null; alongside: T | null }>({
      name: `brute-force-attempt:${this.schema}:${alongside?.name ?? ''}`,
      text: `WITH client AS (INSERT INTO ${table} AS r (key, points, expire) VALUES ($1, 1, $3) ${upsert}),
             free AS (INSERT INTO ${table} AS r (key, points, expire) SELECT $2, 1, $4::bigint FROM client WHERE client.points <= $6 ${upsert})
        SELECT client.points AS client_points, client.expire AS client_expire, free.points AS free_points, ${alongside ? alongside.expression('$7') : 'NULL'} AS alongside
          FROM client LEFT JOIN free ON true`,
      values: [
        `client:${clientAddress}`,
        `free:${key}`,
        now + this.config.authAttemptWindowSeconds * 1000,
        now + this.config.authFailureMemorySeconds * 1000,
        now,
        this.config.authAttemptsPerClient,
        ...(alongside ? [alongside.value] : []),
      ],
    });
    const row = rows[0];
    const read = row.alongside ?? undefined;
    if (row.client_points > this.config.authAttemptsPerClient) return { wait: seconds(Number(row.client_expire) - now), alongside: read };
    if (row.free_points !== null && row.free_points <= this.freePoints) return { wait: undefined, alongside: read };
    return { wait: await this.gated(key), alongside: read };
  }

  /** The username's free failures are spent: the next attempt waits for the gate, whose delay doubles with each failure. */
  private async gated(key: string): Promise<Wait> {
    const delays = (await this.failureCount.get(key))?.consumedPoints ?? 0;
    const delay = Math.max(1, Math.min(2 ** Math.min(delays, 30), this.config.authMaxDelaySeconds));
    const gate = await this.gate.penalty(key, 1, { customDuration: delay });
    if (gate.consumedPoints > 1) return seconds(gate.msBeforeNext);
    await this.failureCount.penalty(key);
    return undefined;
  }

  /** Clears the username's counters (free failures, failure count, gate) in one statement. */
  async succeeded(username: string): Promise<void> {
    const key = usernameKey(username);
    await this.pool.query({
      name: `brute-force-succeeded:${this.schema}`,
      text: `DELETE FROM "${this.schema}".${TABLE} WHERE key = ANY($1::text[])`,
      values: [[`free:${key}`, `failures:${key}`, `gate:${key}`]],
    });
  }
}

/** Hashed: a password typed into the username field must not be stored in clear. */
const usernameKey = (username: string): string => sha256(username.toLowerCase());

/** `429 too_many_requests` in the Privicore shape; the route sets `Retry-After` (`withRetryAfter`). */
export class TooManyAttempts extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(HttpStatus.TOO_MANY_REQUESTS, ErrorCodes.tooManyRequests, 'Too many attempts; try again later.');
  }
}

/** `429 too_many_requests` in the Privicore shape, with `Retry-After` in seconds. */
export const tooManyAttempts = (reply: FastifyReply, wait: number): ApiError => {
  void reply.header('Retry-After', String(wait));
  return new TooManyAttempts(wait);
};

/** A handler's `TooManyAttempts` tells the client when to retry. */
export const withRetryAfter =
  (reply: FastifyReply) =>
  (error: unknown): never => {
    throw error instanceof TooManyAttempts ? tooManyAttempts(reply, error.retryAfterSeconds) : error;
  };

const guardPerClient = async (context: ExecutionContext, consume: (clientAddress: string) => Promise<Wait>): Promise<boolean> => {
  const http = context.switchToHttp();
  const wait = await consume(http.getRequest<FastifyRequest>().ip);
  if (wait !== undefined) throw tooManyAttempts(http.getResponse<FastifyReply>(), wait);
  return true;
};

/** QR redemptions share the per-client budget of password attempts. */
@Injectable()
export class ClientAttemptsGuard implements CanActivate {
  constructor(private readonly limits: BruteForceLimits) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    return guardPerClient(context, (address) => this.limits.clientAttempt(address));
  }
}

@Injectable()
export class RegistrationsGuard implements CanActivate {
  constructor(private readonly limits: BruteForceLimits) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    return guardPerClient(context, (address) => this.limits.registration(address));
  }
}
