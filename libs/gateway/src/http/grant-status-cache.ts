import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-runtime';
import { CHANNELS, PgNotifications } from '../commands/pg-notifications';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { grantRowOf } from '../read-models/grants.projection';
import type { GrantRow } from '../read-models/grants.projection';

interface GrantStatus {
  usable: boolean;
  applicationId: string;
  grant: GrantRow;
}

/**
 * Whether an access token's grant and application are still usable, cached per grant. A revoked
 * grant (`grant:<id>`) or an application whose status changed (`app:<id>`) is evicted by the
 * notification sent in the read model's transaction, before the revoking command reports success.
 */
@Injectable()
export class GrantStatusCache {
  private readonly entries = new Map<string, GrantStatus>();
  private evictions = 0;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    notifications: PgNotifications,
  ) {
    notifications.on(CHANNELS.tokenRevoked, (payload) => this.evict(payload));
    notifications.onReconnect(() => {
      this.evictions += 1;
      this.entries.clear();
    });
  }

  async isUsable(grantId: string): Promise<boolean> {
    return (await this.lookup(grantId))?.usable ?? false;
  }

  /** The grant's read-model row and whether its tokens are usable; undefined for an unknown grant. */
  async lookup(grantId: string): Promise<{ grant: GrantRow; usable: boolean } | undefined> {
    const cached = this.entries.get(grantId);
    if (cached) return cached;
    if (grantId.length > 64) return undefined;
    const generation = this.evictions;
    const { rows } = await this.pool.query(
      `SELECT g.*, a.status AS application_status
         FROM "${this.schema}".grants g JOIN "${this.schema}".oauth_applications a ON a.application_id = g.application_id
        WHERE g.grant_id = $1`,
      [grantId],
    );
    if (rows.length === 0) return undefined;
    const grant = grantRowOf(rows[0]);
    // Only settled rows are cached: a grant still waiting for its code changes without a notification.
    const status = { usable: grant.status !== 'revoked' && rows[0].application_status === 'active', applicationId: grant.applicationId, grant };
    if (generation === this.evictions && (grant.status === 'active' || grant.status === 'revoked')) {
      if (this.entries.size >= 50_000) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(grantId, status);
    }
    return status;
  }

  forget(grantId: string): void {
    this.evict(`grant:${grantId}`);
  }

  private evict(payload: string): void {
    if (payload.startsWith('grant:')) {
      this.evictions += 1;
      this.entries.delete(payload.slice('grant:'.length));
    } else if (payload.startsWith('app:')) {
      this.evictions += 1;
      const applicationId = payload.slice('app:'.length);
      for (const [grantId, status] of this.entries) if (status.applicationId === applicationId) this.entries.delete(grantId);
    }
  }
}
