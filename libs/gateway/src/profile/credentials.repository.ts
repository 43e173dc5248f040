import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';
import type { Alongside } from '../http/brute-force';

export interface Credentials {
  profileId: string;
  username: string;
  passwordHash: string;
}

interface Row {
  profile_id: string;
  username: string;
  password_hash: string;
}

const credentialsOf = (row: Row | undefined): Credentials | undefined =>
  row && { profileId: row.profile_id, username: row.username, passwordHash: row.password_hash };

/**
 * The gateway's read model of usernames and password hashes (`profile_credentials`). Every password
 * attempt reads it, so with one prepared statement rather than through the ORM.
 */
@Injectable()
export class CredentialsRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
  ) {}

  /** The credentials of a username (matched regardless of case) as a scalar SQL expression of one parameter (JSON, or NULL), to ride along another statement. */
  byUsernameAlongside(username: string): Alongside {
    return {
      name: 'credentials',
      expression: (parameter) =>
        `(SELECT json_build_object('profileId', profile_id, 'username', username, 'passwordHash', password_hash) FROM "${this.schema}".profile_credentials WHERE username_key = ${parameter})`,
      value: username.toLowerCase(),
    };
  }

  async byProfileId(profileId: string): Promise<Credentials | undefined> {
    const { rows } = await this.pool.query<Row>({
      name: `credentials-by-profile-id:${this.schema}`,
      text: `SELECT profile_id, username, password_hash FROM "${this.schema}".profile_credentials WHERE profile_id = $1`,
      values: [profileId],
    });
    return credentialsOf(rows[0]);
  }
}
