import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { scopeSatisfies } from '@platform/contracts';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';

@Injectable()
export class ConsentsRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
  ) {}

  /** Whether the profile already consented to every one of these scopes for this application. */
  async covers(profileId: string, applicationId: string, scopes: string[]): Promise<boolean> {
    const { rows } = await this.pool.query(`SELECT scopes FROM "${this.schema}".consents WHERE profile_id = $1 AND application_id = $2`, [profileId, applicationId]);
    return !!rows[0] && scopes.every((scope) => scopeSatisfies(rows[0].scopes as string[], scope));
  }
}
