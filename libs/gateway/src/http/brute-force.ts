import { type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PlatformConfig } from '@platform/config';
import { ErrorCodes } from '@platform/contracts';
import { ApiError } from './errors';

const usernameOf = (request: FastifyRequest): string | undefined => {
  const username = (request.body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' && username.length > 0 ? username.toLowerCase() : undefined;
};

/** Two limits on password and QR attempts: per client address and per username (@nestjs/throttler). */
export const bruteForceThrottlers = (config: PlatformConfig): ThrottlerModuleOptions => [
  {
    name: 'client',
    ttl: config.authAttemptWindowSeconds * 1000,
    limit: config.authAttemptsPerClient,
    getTracker: (request: Record<string, unknown>) => String((request as unknown as FastifyRequest).ip),
  },
  {
    name: 'username',
    ttl: config.authAttemptWindowSeconds * 1000,
    limit: config.authAttemptsPerUsername,
    getTracker: (request: Record<string, unknown>) => `username:${usernameOf(request as unknown as FastifyRequest)}`,
    skipIf: (context: ExecutionContext) => usernameOf(context.switchToHttp().getRequest<FastifyRequest>()) === undefined,
  },
];

/** Answers `429 too_many_requests` with a standard `Retry-After` (seconds). */
@Injectable()
export class BruteForceGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.header('Retry-After', String(Math.max(1, Math.ceil(detail.timeToBlockExpire))));
    throw new ApiError(HttpStatus.TOO_MANY_REQUESTS, ErrorCodes.tooManyRequests, 'Too many attempts; try again later.');
  }
}
