import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../../gateway.options';
import { isoWithOffset } from '../../http/time';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { CallRecorder } from '../../oauth-app/call-recorder';
import { ListAuthorizedApplicationsQuery } from '../list-authorized-applications/list-authorized-applications.query';
import { AccountConsoleQuery, type AccountView, AUDIT_LIMIT, type AuditLine, USAGE_DAYS } from './account-console.query';

@QueryHandler(AccountConsoleQuery)
export class AccountConsoleHandler implements IQueryHandler<AccountConsoleQuery> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    private readonly applications: ApplicationsRepository,
    private readonly calls: CallRecorder,
    private readonly queries: QueryBus,
  ) {}

  async execute({ profileId, filter }: AccountConsoleQuery): Promise<AccountView> {
    await this.calls.flush();
    const applications = await this.applications.listFor(profileId);
    const ids = applications.map((application) => application.applicationId);
    const { rows: usage } = await this.pool.query(
      `SELECT application_id, to_char(date_trunc('day', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*)::int AS calls
         FROM "${this.schema}".application_calls
        WHERE application_id = ANY($1) AND at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '${USAGE_DAYS - 1} days'
        GROUP BY 1, 2`,
      [ids],
    );
    const days = Array.from({ length: USAGE_DAYS }, (_, i) => new Date(Date.now() - (USAGE_DAYS - 1 - i) * 86_400_000).toISOString().slice(0, 10));
    return {
      applications: applications.map((application) => ({
        ...application,
        callsPerDay: days.map((day) => ({ day, calls: usage.find((row) => row.application_id === application.applicationId && row.day === day)?.calls ?? 0 })),
      })),
      authorized: await this.queries.execute(new ListAuthorizedApplicationsQuery(profileId)),
      audit: await this.audit(filter.application && ids.includes(filter.application) ? [filter.application] : ids, filter),
    };
  }

  private async audit(applicationIds: string[], filter: AccountConsoleQuery['filter']): Promise<AuditLine[]> {
    const { rows } = await this.pool.query(
      `SELECT application_id, at, entry FROM (
         SELECT application_id, at, id, entry FROM "${this.schema}".application_calls WHERE application_id = ANY($1) AND $2 <> 'change'
         UNION ALL
         SELECT application_id, at, id, entry FROM "${this.schema}".application_changes WHERE application_id = ANY($1) AND $2 <> 'call') audit
        WHERE ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4::timestamptz + interval '1 day')
        ORDER BY at DESC, id DESC LIMIT ${AUDIT_LIMIT}`,
      [applicationIds, filter.kind ?? '', filter.from || null, filter.to || null],
    );
    return rows.map((row) => {
      const { kind, type, method, route, ...detail } = row.entry;
      return {
        at: isoWithOffset(row.at),
        applicationId: row.application_id,
        kind: kind === 'call' ? 'call' : 'change',
        what: kind === 'call' ? `${method} ${route}` : String(type),
        detail,
      };
    });
  }
}
