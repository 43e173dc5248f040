import { HttpStatus } from '@nestjs/common';
import { ErrorCodes } from '@platform/contracts';
import { ApiError } from '../../http/errors';

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
