import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../../gateway.options';
import { isoWithOffset } from '../../http/time';
import { ApplicationsRepository } from '../../oauth-app/applications.repository';
import { CallRecorder } from '../../oauth-app/call-recorder';
import { type AuditPage, ApplicationAuditQuery } from './application-audit.query';
import { decodeCursor, encodeCursor } from './audit-cursor';

export const AUDIT_PAGE_SIZE = 50;

/** Calls made with the application's tokens and changes to it, merged by time, paged by an opaque cursor. */
@QueryHandler(ApplicationAuditQuery)
export class ApplicationAuditHandler implements IQueryHandler<ApplicationAuditQuery> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
    private readonly applications: ApplicationsRepository,
    private readonly calls: CallRecorder,
  ) {}

  async execute({ applicationId, profileId, cursor }: ApplicationAuditQuery): Promise<AuditPage> {
    const application = await this.applications.owned(applicationId, profileId);
    await this.calls.flush();
    const after = decodeCursor(cursor);
    const { rows } = await this.pool.query(
      `SELECT id::text, at, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at, entry FROM (
         SELECT id, at, entry FROM "${this.schema}".application_calls WHERE application_id = $1
         UNION ALL
         SELECT id, at, entry FROM "${this.schema}".application_changes WHERE application_id = $1) audit
        WHERE (at, id) > ($2::timestamptz, $3::bigint)
        ORDER BY at, id
        LIMIT $4`,
      [application.applicationId, after.at, after.id, AUDIT_PAGE_SIZE + 1],
    );
    const page = rows.slice(0, AUDIT_PAGE_SIZE);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({ ...row.entry, at: isoWithOffset(row.at) })),
      nextCursor: rows.length > AUDIT_PAGE_SIZE && last ? encodeCursor(last.cursor_at, last.id) : null,
    };
  }
}
