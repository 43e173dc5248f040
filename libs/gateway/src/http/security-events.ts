import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authFailures } from '@platform/observability';
import { sentErrorCode } from './error-families';

const AUTH_FAILURES: Record<number, string> = { 401: 'unauthorized', 403: 'forbidden', 429: 'too_many_requests' };

/** The structured line for a refused authentication or authorization; nothing the client sent but its address. */
export function securityEventOf(request: FastifyRequest, reply: FastifyReply): Record<string, unknown> | undefined {
  const status = reply.statusCode;
  if (!(status in AUTH_FAILURES)) return undefined;
  return {
    event: 'security.auth_failure',
    status,
    code: sentErrorCode(request) ?? AUTH_FAILURES[status],
    route: request.is404 ? request.url.split('?')[0].slice(0, 200) : request.routeOptions.url,
    method: request.method,
    clientAddress: request.ip,
    requestId: request.id,
  };
}

/** Every 401, 403 and 429 is logged once, here, as a warning, and counted by its code. */
export function logSecurityEvents(fastify: FastifyInstance, logger: LoggerService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const event = securityEventOf(request, reply);
    if (event) {
      logger.warn(event, 'authentication failure', 'Security');
      authFailures.inc({ kind: String(event.code), status_code: String(event.status) });
    }
    done();
  });
}
