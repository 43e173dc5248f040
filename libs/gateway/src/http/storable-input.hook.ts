import { HttpStatus } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ErrorCodes } from '@platform/contracts';
import { routeFamilyOf } from './error-families';
import { ApiError } from './errors';
import { unstorableTextAt } from './storable-text';

const CLIENT_CREDENTIALS = new Set(['body.client_id', 'body.client_secret']);

const decodedCookie = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** Cookie values as a cookie parser decodes them (RFC 6265 pairs, percent-decoded), whether or not one is registered. */
const cookiesOf = (request: FastifyRequest): unknown =>
  (request as FastifyRequest & { cookies?: unknown }).cookies ??
  request.headers.cookie?.split(';').map((pair) => decodedCookie(pair.slice(pair.indexOf('=') + 1).trim()));

/**
 * Runs before every handler (a Fastify `preValidation` hook, so it sees what a Nest pipe cannot:
 * cookies, and routes without a DTO): every decoded string must be storable text. The values decoded
 * later (Basic credentials) pass the same check where they are decoded. Raw header values need no
 * check: Node's HTTP parser refuses a NUL in them (400) and reads them as Latin-1, which has no surrogates.
 */
export function refuseUnstorableInput(request: FastifyRequest): void {
  const sources: [string, unknown][] = [
    ['body', request.body],
    ['query', request.query],
    ['params', request.params],
    ['cookies', cookiesOf(request)],
  ];
  for (const [name, value] of sources) {
    const field = unstorableTextAt(value, name);
    if (field === undefined) continue;
    if (CLIENT_CREDENTIALS.has(field) && routeFamilyOf(request.url) === 'oauth') {
      throw new ApiError(HttpStatus.UNAUTHORIZED, ErrorCodes.oauthInvalidClient, 'Client authentication failed.');
    }
    const problem = 'must be well-formed Unicode text without NUL characters';
    throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.validation, `${field}: ${problem}`, [{ field, problems: [problem] }]);
  }
}
