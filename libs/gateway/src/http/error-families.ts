import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes } from '@platform/contracts';
import { type Problem, UNAVAILABLE_RETRY_AFTER_SECONDS } from './problem';

/** DESIGN §9: each route family answers errors in its own shape, whatever raised them. */
export type RouteFamily = 'privicore' | 'oauth' | 'envelope';

export const routeFamilyOf = (url: string): RouteFamily => {
  const path = url.split('?')[0];
  if (path === '/oauth' || path.startsWith('/oauth/')) return 'oauth';
  if (path === '/o/apps' || path.startsWith('/o/apps/')) return 'envelope';
  return 'privicore';
};

const RFC_6749_CODES = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'unsupported_token_type',
  'access_denied',
  'unsupported_response_type',
  'invalid_token',
  'server_error',
  'temporarily_unavailable',
]);

const rfc6749Code = ({ status, code }: Problem): string => {
  if (RFC_6749_CODES.has(code)) return code;
  if (code === ErrorCodes.commandTimeout || status === 503) return 'temporarily_unavailable';
  if (status >= 500) return 'server_error';
  if (status === 401) return ErrorCodes.oauthInvalidClient;
  if (status === 429) return ErrorCodes.tooManyRequests;
  return ErrorCodes.oauthInvalidRequest;
};

const ENVELOPE_CODES: Partial<Record<number, string>> = {
  400: ErrorCodes.validation,
  401: ErrorCodes.unauthorized,
  403: ErrorCodes.forbidden,
  404: ErrorCodes.notFound,
  413: ErrorCodes.payloadTooLarge,
  415: ErrorCodes.unsupportedMediaType,
  429: ErrorCodes.tooManyRequests,
  503: 'unavailable',
};

const envelopeCode = ({ status, code }: Problem): string =>
  code === ErrorCodes.serviceUnavailable ? code : ENVELOPE_CODES[status] ?? (status >= 500 ? ErrorCodes.internal : code);

const SENT_CODE = Symbol('sentErrorCode');
type WithSentCode = FastifyRequest & { [SENT_CODE]?: string };

/** The error code the answer to `request` carried, for the security log. */
export const sentErrorCode = (request: FastifyRequest): string | undefined => (request as WithSentCode)[SENT_CODE];

/** The code and body `problem` takes in `family`'s shape. */
export function shapedProblem(problem: Problem, family: RouteFamily): { code: string; body: unknown } {
  if (family === 'oauth') {
    const code = rfc6749Code(problem);
    return { code, body: { error: code, error_description: problem.message } };
  }
  if (family === 'envelope') {
    const code = envelopeCode(problem);
    return { code, body: { error: { code, message: problem.message, details: problem.details === undefined ? {} : { fields: problem.details } } } };
  }
  return { code: problem.code, body: { error: problem.code, message: problem.message, ...(problem.details === undefined ? {} : { details: problem.details }) } };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem, family: RouteFamily): void {
  const { code, body } = shapedProblem(problem, family);
  // RFC 6749 §5.2: a failed client authentication says how to authenticate.
  if (family === 'oauth' && problem.status === 401 && !reply.hasHeader('www-authenticate')) void reply.header('WWW-Authenticate', 'Basic realm="oauth", charset="UTF-8"');
  if (problem.status === 503 && !reply.hasHeader('retry-after')) void reply.header('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  (request as WithSentCode)[SENT_CODE] = code;
  void reply.status(problem.status).send(body);
}
