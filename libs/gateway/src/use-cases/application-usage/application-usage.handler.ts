import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../../gateway.options';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { CallRecorder } from '../../oauth-app/call-recorder';
import { type ApplicationUsage, ApplicationUsageQuery } from './application-usage.query';

@QueryHandler(ApplicationUsageQuery)
export class ApplicationUsageHandler implements IQueryHandler<ApplicationUsageQuery> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    private readonly applications: ApplicationsRepository,
    private readonly calls: CallRecorder,
  ) {}

  async execute({ applicationId, profileId }: ApplicationUsageQuery): Promise<ApplicationUsage> {
    const application = await this.applications.owned(applicationId, profileId);
    await this.calls.flush();
    const { rows } = await this.pool.query(
      `SELECT u.tokens_issued, u.tokens_refreshed, u.tokens_revoked,
              (SELECT count(*)::int FROM "${this.schema}".application_calls c WHERE c.application_id = $1) AS calls_made,
              (SELECT max(at) FROM "${this.schema}".application_calls c WHERE c.application_id = $1) AS last_used_at
         FROM (SELECT $1::text AS application_id) a LEFT JOIN "${this.schema}".application_usage u USING (application_id)`,
      [application.applicationId],
    );
    const row = rows[0];
    return {
      applicationId: application.applicationId,
      tokensIssued: row.tokens_issued ?? 0,
      tokensRefreshed: row.tokens_refreshed ?? 0,
      tokensRevoked: row.tokens_revoked ?? 0,
      callsMade: row.calls_made,
      lastUsedAt: row.last_used_at,
    };
  }
}
