import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { ErrorCodes } from '@platform/contracts';
import { PG_POOL } from '@platform/service-runtime';
import { GATEWAY_SCHEMA } from '../gateway.options';
import { ApiError } from '../http/errors';
import { isoWithOffset } from '../http/time';

export const AUDIT_PAGE_SIZE = 50;

const MAX_BIGINT = 9_223_372_036_854_775_807n;
/** Exactly what `encodeCursor` writes: a UTC instant PostgreSQL can hold (to the microsecond), and a positive bigint id. */
const CURSOR = /^((?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})(\d{3})?Z\|([1-9]\d{0,18})$/;

export const encodeCursor = (at: string, id: string) => Buffer.from(`${at}|${id}`).toString('base64url');

export const decodeCursor = (cursor: string | undefined): { at: string; id: string } => {
  if (cursor === undefined) return { at: '-infinity', id: '0' };
  const match = /^[A-Za-z0-9_-]+$/.test(cursor) ? CURSOR.exec(Buffer.from(cursor, 'base64url').toString()) : null;
  const milliseconds = match ? `${match[1]}Z` : '';
  if (!match || Number.isNaN(Date.parse(milliseconds)) || new Date(milliseconds).toISOString() !== milliseconds || BigInt(match[3]) > MAX_BIGINT) {
    throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.validation, 'cursor: not a cursor this server issued', [{ field: 'cursor', problems: ['not a cursor this server issued'] }]);
  }
  return { at: `${match[1]}${match[2] ?? ''}Z`, id: match[3] };
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
      `SELECT id::text, at, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at, entry FROM (
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
      nextCursor: rows.length > AUDIT_PAGE_SIZE && last ? encodeCursor(last.cursor_at, last.id) : null,
    };
  }
}
