import type { LoggerService } from '@nestjs/common';
import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { withCorrelationId } from './log-context';
import { httpRequestDuration } from './metrics';
import { tracer } from './tracing';

const QUIET_ROUTES = new Set(['/health', '/metrics']);
const OBSERVED = Symbol('observed');

interface Observed {
  span: Span;
  traceContext: ReturnType<typeof context.active>;
  startedAt: bigint;
}

type ObservedRequest = FastifyRequest & { [OBSERVED]?: Observed };

/** The route pattern (`/o/apps/:id`), never the requested URL: bounded label values, no ids or tokens. */
export const routeOf = (request: FastifyRequest): string => request.routeOptions.url ?? '(unmatched)';

/**
 * Per request: a server span continuing an incoming `traceparent`, the request id as correlation id
 * and `X-Request-Id`, the HTTP metrics, and one access-log line (at info; `/health` and `/metrics` at debug).
 * The contexts are entered again after body parsing, which runs outside the request's async context.
 */
export function observeHttp(fastify: FastifyInstance, logger?: LoggerService): void {
  fastify.addHook('onRequest', (request: ObservedRequest, reply, done) => {
    reply.header('X-Request-Id', request.id);
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer().startSpan(`${request.method} ${routeOf(request)}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'http.route': routeOf(request), 'request.id': request.id },
    }, parent);
    const observed = { span, traceContext: trace.setSpan(parent, span), startedAt: process.hrtime.bigint() };
    request[OBSERVED] = observed;
    enter(request, observed, done);
  });
  fastify.addHook('preValidation', (request: ObservedRequest, _reply, done) => {
    const observed = request[OBSERVED];
    if (observed) enter(request, observed, done);
    else done();
  });
  fastify.addHook('onResponse', async (request: ObservedRequest, reply: FastifyReply) => {
    const observed = request[OBSERVED];
    if (!observed) return;
    const seconds = Number(process.hrtime.bigint() - observed.startedAt) / 1e9;
    const route = routeOf(request);
    httpRequestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, seconds);
    observed.span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) observed.span.setStatus({ code: SpanStatusCode.ERROR });
    observed.span.end();
    if (!logger) return;
    const line = { event: 'http.access', method: request.method, route, status: reply.statusCode, durationMs: Math.round(seconds * 1e4) / 10, requestId: request.id };
    context.with(observed.traceContext, () =>
      withCorrelationId(request.id, () => (QUIET_ROUTES.has(route) ? logger.debug?.(line, 'request', 'AccessLog') : logger.log(line, 'request', 'AccessLog'))),
    );
  });
}

function enter(request: FastifyRequest, observed: Observed, done: () => void): void {
  context.with(observed.traceContext, () => withCorrelationId(request.id, done));
}
