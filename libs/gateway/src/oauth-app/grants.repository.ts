import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { DataSource, Repository } from 'typeorm';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_DATA_SOURCE } from '../database/gateway-data-source';
import { GrantEntity } from '../database/entities';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { grantRowOf, type GrantRow } from '../read-models/grants.projection';

@Injectable()
export class GrantsRepository {
  private readonly grants: Repository<GrantRow>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    @Inject(GATEWAY_DATA_SOURCE) dataSource: DataSource,
  ) {
    this.grants = dataSource.getRepository(GrantEntity);
  }

  async byId(grantId: string): Promise<GrantRow | undefined> {
    if (grantId.length > 64) return undefined;
    return (await this.grants.findOneBy({ grantId })) ?? undefined;
  }

  /** A refresh token's own state: whether it is the grant's current one, and until when. */
  async refreshTokenState(secretHash: string): Promise<{ grant: GrantRow; current: boolean; expiresAt: string } | undefined> {
    const { rows } = await this.pool.query(
      `SELECT g.*, s.retired, s.expires_at AS secret_expires_at FROM "${this.schema}".grant_secrets s JOIN "${this.schema}".grants g USING (grant_id)
        WHERE s.secret_hash = $1 AND s.kind = 'refresh'`,
      [secretHash],
    );
    return rows[0] && { grant: grantRowOf(rows[0]), current: !rows[0].retired, expiresAt: new Date(rows[0].secret_expires_at).toISOString() };
  }

  /** The grant a presented code or refresh token (current or already rotated) belongs to. */
  async bySecret(secretHash: string, kind: 'code' | 'refresh'): Promise<GrantRow | undefined> {
    const { rows } = await this.pool.query(
      `SELECT g.* FROM "${this.schema}".grant_secrets s JOIN "${this.schema}".grants g USING (grant_id)
        WHERE s.secret_hash = $1 AND s.kind = $2`,
      [secretHash, kind],
    );
    return rows[0] && grantRowOf(rows[0]);
  }
}
