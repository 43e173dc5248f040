import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../../gateway.options';
import { sha256 } from '../profile-auth';

export interface BrowserSession {
  profileId: string | null;
  username: string | null;
}

/** A form's CSRF token: derived from the HttpOnly session cookie, so a page of another origin can know neither. */
export const csrfFor = (cookie: string): string => createHmac('sha256', cookie).update('csrf').digest('base64url');
export const csrfMatches = (cookie: string | undefined, csrf: string | undefined): boolean =>
  !!cookie && !!csrf && csrf.length === 43 && timingSafeEqual(Buffer.from(csrfFor(cookie)), Buffer.from(csrf));

const LIFETIME_HOURS = 12;
const random = () => randomBytes(32).toString('base64url');

/**
 * A browser's sign-in, shared by `/oauth/authorize` and `/account`, in PostgreSQL so any replica
 * serves it. The cookie and the CSRF token are stored only as hashes; both are replaced at sign-in.
 */
@Injectable()
export class BrowserSessions {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
  ) {}

  /** A session not signed in yet: it carries the sign-in form's CSRF token. */
  async anonymous(): Promise<{ cookie: string; csrf: string }> {
    return this.insert(null, null);
  }

  async signedIn(profileId: string, username: string, previousCookie?: string): Promise<{ cookie: string; csrf: string }> {
    if (previousCookie) await this.end(previousCookie);
    return this.insert(profileId, username);
  }

  async find(cookie: string | undefined): Promise<BrowserSession | undefined> {
    if (!cookie || cookie.length > 128) return undefined;
    const { rows } = await this.pool.query(
      `SELECT profile_id, username FROM "${this.schema}".browser_sessions WHERE cookie_hash = $1 AND expires_at > now()`,
      [sha256(cookie)],
    );
    return rows[0] && { profileId: rows[0].profile_id, username: rows[0].username };
  }

  async end(cookie: string): Promise<void> {
    await this.pool.query(`DELETE FROM "${this.schema}".browser_sessions WHERE cookie_hash = $1`, [sha256(cookie)]);
  }

  private async insert(profileId: string | null, username: string | null) {
    const cookie = random();
    await this.pool.query(`DELETE FROM "${this.schema}".browser_sessions WHERE expires_at < now()`);
    await this.pool.query(
      `INSERT INTO "${this.schema}".browser_sessions (cookie_hash, profile_id, username, expires_at)
       VALUES ($1, $2, $3, now() + interval '${LIFETIME_HOURS} hours')`,
      [sha256(cookie), profileId, username],
    );
    return { cookie, csrf: csrfFor(cookie) };
  }
}
