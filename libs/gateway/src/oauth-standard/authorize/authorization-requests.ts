import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../../gateway.options';
import { sha256 } from '../../http/profile-auth';

export interface AuthorizationParams {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  codeChallenge?: string;
  /** `prompt=consent`: ask even when the profile has already consented to these scopes. */
  forceConsent?: boolean;
}

export interface PendingRequest {
  id: string;
  params: AuthorizationParams;
  profileId: string | null;
  username: string | null;
}

const LIFETIME_MINUTES = 10;

/**
 * A browser's authorization request between the login and consent pages, kept in PostgreSQL so any
 * replica can continue it. It is bound to an HttpOnly cookie and a CSRF token, both stored hashed.
 */
@Injectable()
export class AuthorizationRequests {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
  ) {}

  async open(params: AuthorizationParams, signedIn?: { profileId: string; username: string }): Promise<{ id: string; cookie: string; csrf: string }> {
    const id = uuidv7();
    const cookie = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    await this.pool.query(
      `DELETE FROM "${this.schema}".authorization_requests WHERE created_at < now() - interval '1 day'`,
    );
    await this.pool.query(
      `INSERT INTO "${this.schema}".authorization_requests (id, params, cookie_hash, csrf_hash, profile_id, username) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, params, sha256(cookie), sha256(csrf), signedIn?.profileId ?? null, signedIn?.username ?? null],
    );
    return { id, cookie, csrf };
  }

  /** The live, unused request that this cookie and CSRF token belong to. */
  async find(id: string, cookie: string | undefined, csrf: string | undefined): Promise<PendingRequest | undefined> {
    if (!cookie || !csrf || id.length > 64) return undefined;
    const { rows } = await this.pool.query(
      `SELECT * FROM "${this.schema}".authorization_requests
        WHERE id = $1 AND cookie_hash = $2 AND csrf_hash = $3 AND used_at IS NULL
          AND created_at > now() - interval '${LIFETIME_MINUTES} minutes'`,
      [id, sha256(cookie), sha256(csrf)],
    );
    return rows[0] && { id: rows[0].id, params: rows[0].params, profileId: rows[0].profile_id, username: rows[0].username };
  }

  /**
   * Records the sign-in and replaces the cookie and CSRF token (session fixation): whatever was
   * handed out before authentication stops working. Undefined if that cookie was already replaced.
   */
  async authenticated(id: string, previousCookie: string, profileId: string, username: string): Promise<{ cookie: string; csrf: string } | undefined> {
    const cookie = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    const { rowCount } = await this.pool.query(
      `UPDATE "${this.schema}".authorization_requests SET profile_id = $3, username = $4, cookie_hash = $5, csrf_hash = $6
        WHERE id = $1 AND cookie_hash = $2 AND used_at IS NULL`,
      [id, sha256(previousCookie), profileId, username, sha256(cookie), sha256(csrf)],
    );
    return rowCount === 1 ? { cookie, csrf } : undefined;
  }

  /** Marks the request used; false if another submission got there first. */
  async consume(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`UPDATE "${this.schema}".authorization_requests SET used_at = now() WHERE id = $1 AND used_at IS NULL`, [id]);
    return rowCount === 1;
  }
}
