import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes } from '@platform/contracts';
import { type RouteFamily, routeFamilyOf, sendProblem } from './error-families';
import { problemOf } from './problem';

const logger = new Logger('HTTP');

/** Answers `exception` in `family`'s shape (by default the family of the request's path); a 5xx is logged, never explained. */
export function answerError(exception: unknown, host: ArgumentsHost, family?: RouteFamily): void {
  const http = host.switchToHttp();
  const request = http.getRequest<FastifyRequest>();
  const problem = problemOf(exception, request);
  if (problem.code === ErrorCodes.serviceUnavailable) logger.warn(`database unavailable: ${(exception as Error).message}`);
  else if (problem.status >= 500) logger.error(exception instanceof Error ? exception.stack : String(exception));
  sendProblem(request, http.getResponse<FastifyReply>(), problem, family ?? routeFamilyOf(request.url));
}

/** Every error, including body-parse errors and unknown routes, leaves in its route family's shape with a stable code. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    answerError(exception, host);
  }
}
