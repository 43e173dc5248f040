import { HttpException, NotFoundException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ErrorCodes } from '@platform/contracts';
import { isDatabaseUnavailable } from './database-unavailable';
import type { ErrorBody } from './errors';

/** An error as the gateway means it, before its route family gives it a shape. */
export interface Problem {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

const STATUS_CODES: Partial<Record<number, string>> = {
  400: ErrorCodes.validation,
  401: ErrorCodes.unauthorized,
  403: ErrorCodes.forbidden,
  404: ErrorCodes.notFound,
  413: ErrorCodes.payloadTooLarge,
  415: ErrorCodes.unsupportedMediaType,
  429: ErrorCodes.tooManyRequests,
};

const GENERIC_MESSAGES: Partial<Record<number, string>> = {
  400: 'The request is malformed.',
  404: 'No such route.',
  413: 'The body is too large.',
  415: 'Unsupported content type.',
};

const FASTIFY_CODES: Record<string, Problem> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: ErrorCodes.payloadTooLarge, message: 'The body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: ErrorCodes.unsupportedMediaType, message: 'Unsupported content type.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: ErrorCodes.malformedBody, message: 'Invalid content length.' },
  // The router's, through `frameworkErrors` (http/edge-errors.ts).
  FST_ERR_BAD_URL: { status: 400, code: ErrorCodes.validation, message: 'The URL does not decode.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: ErrorCodes.uriTooLong, message: 'A path parameter is too long.' },
};

const isErrorBody = (response: unknown): response is ErrorBody =>
  typeof response === 'object' && response !== null && typeof (response as ErrorBody).error === 'string' && 'message' in response;

/** Never echo the query string: it may carry a token (`?access_token=`) or whatever a client put there. */
const echoesQuery = (message: string, request: FastifyRequest) => {
  const query = request.url.indexOf('?');
  return query >= 0 && query < request.url.length - 1 && message.includes(request.url.slice(query + 1));
};

/** Seconds a client is told to wait while the database is unreachable (the pool reconnects on its own). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

const unavailable = (): Problem => ({ status: 503, code: ErrorCodes.serviceUnavailable, message: 'The service is temporarily unavailable; retry shortly.' });

const internal = (): Problem => ({ status: 500, code: ErrorCodes.internal, message: 'Internal error.' });

/**
 * Our own `ApiError`s keep their code and message; Nest's and Fastify's (body parsing, unknown routes)
 * get a stable code for their status and a message that says nothing the client did not need.
 */
export function problemOf(exception: unknown, request: FastifyRequest): Problem {
  if (exception instanceof NotFoundException && request.is404) return { status: 404, code: ErrorCodes.notFound, message: 'No such route.' };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (isErrorBody(response)) return { status, code: response.error, message: String(response.message), ...(response.details === undefined ? {} : { details: response.details }) };
    if (status >= 500) return { ...internal(), status };
    const raw = String(typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message));
    const message = status === 413 || status === 415 || echoesQuery(raw, request) ? (GENERIC_MESSAGES[status] ?? 'The request was refused.') : raw;
    return { status, code: STATUS_CODES[status] ?? ErrorCodes.malformedBody, message };
  }
  if (isDatabaseUnavailable(exception)) return unavailable();
  const known = FASTIFY_CODES[(exception as { code?: string } | undefined)?.code ?? ''];
  if (known) return known;
  const statusCode = (exception as { statusCode?: number } | undefined)?.statusCode;
  if (statusCode && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, code: STATUS_CODES[statusCode] ?? ErrorCodes.malformedBody, message: GENERIC_MESSAGES[statusCode] ?? 'The request was refused.' };
  }
  return internal();
}
