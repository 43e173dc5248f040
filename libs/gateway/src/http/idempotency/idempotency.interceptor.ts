import { type CallHandler, type ExecutionContext, HttpStatus, Injectable, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { from, type Observable } from 'rxjs';
import { ErrorCodes } from '@platform/contracts';
import type { CallerRequest } from '../caller';
import { routeFamilyOf } from '../error-families';
import { ApiError } from '../errors';
import { IDEMPOTENCY_HEADER, idempotencyScope, isValidIdempotencyKey, requestFingerprint } from './idempotency-key';
import { type ActiveKey, IdempotencyRecords, runWithKey } from './idempotency-records';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Headers a replay repeats; the status and body are repeated whole. */
const REPLAYED_HEADERS = ['x-dpt-cab-id', 'location'];

/**
 * `Idempotency-Key` (DESIGN §9) for every write, decided here rather than per route: every `202`
 * command route and every write under `/o/apps/`. Runs after the guards, so the key is scoped to the
 * authenticated caller.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly records: IdempotencyRecords,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<CallerRequest>();
    const header = request.headers[IDEMPOTENCY_HEADER];
    if (header === undefined) return next.handle();
    const httpCode = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler());
    const isWrite = httpCode === HttpStatus.ACCEPTED || (routeFamilyOf(request.url) === 'envelope' && WRITE_METHODS.has(request.method));
    if (!isWrite) return next.handle();
    if (!isValidIdempotencyKey(header)) {
      throw new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.validation, 'Idempotency-Key must be 1 to 255 visible ASCII characters.', [
        { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
      ]);
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const active: ActiveKey = { scope: idempotencyScope(request.caller), key: header, completeOnDispatch: httpCode === HttpStatus.ACCEPTED, completed: false };
    const fingerprint = requestFingerprint({ method: request.method, path: request.url.split('?')[0], query: request.query, body: request.body }, this.records.macKey);
    return from(this.run(active, fingerprint, reply, next));
  }

  private async run(active: ActiveKey, fingerprint: string, reply: FastifyReply, next: CallHandler): Promise<unknown> {
    const claim = await this.records.claim(active.scope, active.key, fingerprint);
    if (claim.kind === 'reused') {
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, ErrorCodes.idempotencyKeyReused, 'This Idempotency-Key was used with a different request.');
    }
    if (claim.kind === 'in_use') {
      void reply.header('Retry-After', '1');
      throw new ApiError(HttpStatus.CONFLICT, ErrorCodes.idempotencyKeyInUse, 'A request with this Idempotency-Key is still in progress; retry shortly.');
    }
    if (claim.kind === 'replay') {
      void reply.status(claim.response.status).headers(claim.response.headers).header('Idempotent-Replayed', 'true');
      return claim.response.body ?? undefined;
    }
    let body: unknown;
    try {
      body = await new Promise<unknown>((resolve, reject) => {
        let last: unknown;
        runWithKey(active, () => next.handle().subscribe({ next: (value) => (last = value), error: reject, complete: () => resolve(last) }));
      });
    } catch (error) {
      if (!active.completed) await this.records.release(active).catch(() => undefined);
      throw error;
    }
    if (!active.completed) {
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      await this.records.complete(active, { status: reply.statusCode, headers, body });
    }
    return body;
  }
}

