import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes } from '@platform/contracts';
import { routeFamilyOf, sendProblem, shapedProblem } from './error-families';
import { type Problem, problemOf } from './problem';

/**
 * Fastify's `frameworkErrors`: a URL that does not decode, or a path parameter over the router's limit,
 * refused before any route runs, in the route family's shape like every other error (DESIGN §9).
 */
export const frameworkErrors = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void =>
  sendProblem(request, reply, problemOf(error, request), routeFamilyOf(request.url));

/** How long a request may go without a byte either way before its connection is closed (Fastify's `connectionTimeout`). */
export const REQUEST_SILENCE_LIMIT_MS = 60_000;

const CLIENT_ERRORS: Record<string, Problem> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: ErrorCodes.headersTooLarge, message: 'The request line and headers are too large.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: ErrorCodes.requestTimeout, message: 'The request did not arrive in time.' },
};
const MALFORMED: Problem = { status: 400, code: ErrorCodes.malformedBody, message: 'The request is malformed.' };

/** The path on the request line of what Node's parser had read, or `/` when it had not got that far. */
const pathOf = (rawPacket: unknown): string => {
  if (!Buffer.isBuffer(rawPacket)) return '/';
  const requestLine = rawPacket.toString('latin1', 0, Math.min(rawPacket.length, 4096)).split('\r\n', 1)[0];
  return requestLine.split(' ')[1] ?? '/';
};

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses (headers over its limit, a request that
 * does not parse, one that takes too long) is answered in the family its request line names, where
 * Fastify's default answers its own shape; then the connection is closed, as Node and Fastify do.
 */
export function clientErrorHandler(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const problem = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED;
    const body = JSON.stringify(shapedProblem(problem, routeFamilyOf(pathOf(error.rawPacket))).body);
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
