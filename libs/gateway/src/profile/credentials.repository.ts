import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';

export interface Credentials {
  profileId: string;
  username: string;
  passwordHash: string;
}

/** The gateway's read model of usernames and password hashes. */
@Injectable()
export class CredentialsRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
  ) {}

  /** Usernames match regardless of case. */
  byUsername(username: string): Promise<Credentials | undefined> {
    return this.find('username_key = lower($1)', username);
  }

  byProfileId(profileId: string): Promise<Credentials | undefined> {
    return this.find('profile_id = $1', profileId);
  }

  private async find(condition: string, value: string): Promise<Credentials | undefined> {
    const { rows } = await this.pool.query(
      `SELECT profile_id, username, password_hash FROM "${this.schema}".profile_credentials WHERE ${condition}`,
      [value],
    );
    return rows[0] && { profileId: rows[0].profile_id, username: rows[0].username, passwordHash: rows[0].password_hash };
  }
}
