import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { isoWithOffset } from '../http/time';

export const AUDIT_PAGE_SIZE = 50;

const encodeCursor = (at: string, id: string) => Buffer.from(`${at}|${id}`).toString('base64url');
const decodeCursor = (cursor: string | undefined): { at: string; id: string } => {
  if (!cursor) return { at: '-infinity', id: '0' };
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  return Number.isNaN(Date.parse(at)) || !/^\d+$/.test(id ?? '') ? { at: '-infinity', id: '0' } : { at, id };
};

/** Calls made with the application's tokens and changes to it, merged by time, paged by an opaque cursor. */
@Injectable()
export class AuditTrail {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(GATEWAY_SCHEMA) private readonly schema: string,
  ) {}

  async page(applicationId: string, cursor?: string) {
    const after = decodeCursor(cursor);
    const { rows } = await this.pool.query(
      `SELECT id::text, at, entry FROM (
         SELECT id, at, entry FROM "${this.schema}".application_calls WHERE application_id = $1
         UNION ALL
         SELECT id, at, entry FROM "${this.schema}".application_changes WHERE application_id = $1) audit
        WHERE (at, id) > ($2::timestamptz, $3::bigint)
        ORDER BY at, id
        LIMIT $4`,
      [applicationId, after.at, after.id, AUDIT_PAGE_SIZE + 1],
    );
    const page = rows.slice(0, AUDIT_PAGE_SIZE);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({ ...row.entry, at: isoWithOffset(row.at) })),
      nextCursor: rows.length > AUDIT_PAGE_SIZE && last ? encodeCursor(new Date(last.at).toISOString(), last.id) : null,
    };
  }
}
