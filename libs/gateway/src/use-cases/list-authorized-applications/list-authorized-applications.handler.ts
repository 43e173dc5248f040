import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../../gateway.options';
import { isoWithOffset } from '../../http/time';
import { CallRecorder } from '../../oauth-app/call-recorder';
import { type AuthorizedApplication, ListAuthorizedApplicationsQuery } from './list-authorized-applications.query';

@QueryHandler(ListAuthorizedApplicationsQuery)
export class ListAuthorizedApplicationsHandler implements IQueryHandler<ListAuthorizedApplicationsQuery> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    private readonly calls: CallRecorder,
  ) {}

  async execute({ profileId }: ListAuthorizedApplicationsQuery): Promise<AuthorizedApplication[]> {
    await this.calls.flush();
    const { rows } = await this.pool.query(
      `SELECT g.grant_id, g.application_id, g.client_id, a.name, g.scopes, g.granted_at,
              (SELECT max(c.at) FROM "${this.schema}".application_calls c WHERE c.application_id = g.application_id AND c.entry->>'grantId' = g.grant_id) AS last_used_at
         FROM "${this.schema}".grants g JOIN "${this.schema}".oauth_applications a USING (application_id)
        WHERE g.profile_id = $1 AND g.status <> 'revoked' AND g.expires_at > now() AND a.status = 'active'
        ORDER BY g.granted_at DESC, g.grant_id`,
      [profileId],
    );
    return rows.map((row) => ({
      grantId: row.grant_id,
      applicationId: row.application_id,
      clientId: row.client_id,
      name: row.name,
      scopes: row.scopes,
      grantedAt: isoWithOffset(row.granted_at),
      lastUsedAt: row.last_used_at ? isoWithOffset(row.last_used_at) : null,
    }));
  }
}
