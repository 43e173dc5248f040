import type { LoggerService } from '@nestjs/common';
import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { levels } from 'pino';
import { currentCorrelationId, withCorrelationId } from './log-context';
import { httpRequestDuration } from './metrics';
import { tracer, tracingActive } from './tracing';

const QUIET_ROUTES = new Set(['/health', '/metrics']);
const OBSERVED = Symbol('observed');

interface Observed {
  startedAt: bigint;
  span?: Span;
  traceContext?: ReturnType<typeof context.active>;
}

type ObservedRequest = FastifyRequest & { [OBSERVED]?: Observed };

export interface HttpObservability {
  logger?: LoggerService;
  /** The configured log level: below `info` no access line is built at all. */
  logLevel?: string;
}

/** The route pattern (`/o/apps/:id`), never the requested URL: bounded label values, no ids or tokens. */
export const routeOf = (request: FastifyRequest): string => request.routeOptions.url ?? '(unmatched)';

/**
 * Per request: the request id as correlation id and `X-Request-Id`, the HTTP metrics, a server span
 * continuing an incoming `traceparent` when tracing is on, and one access-log line (at info; `/health`
 * and `/metrics` at debug). What is off costs nothing per request: no span objects without a tracer,
 * no log line object below info.
 */
export function observeHttp(fastify: FastifyInstance, { logger, logLevel = 'info' }: HttpObservability = {}): void {
  const accessLog = logger && (levels.values[logLevel] ?? levels.values.info) <= levels.values.info ? logger : undefined;
  fastify.addHook('onRequest', (request: ObservedRequest, reply, done) => {
    reply.header('X-Request-Id', request.id);
    const observed: Observed = { startedAt: process.hrtime.bigint() };
    if (tracingActive()) {
      const parent = propagation.extract(context.active(), request.headers);
      observed.span = tracer().startSpan(`${request.method} ${routeOf(request)}`, {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'http.route': routeOf(request), 'request.id': request.id },
      }, parent);
      observed.traceContext = trace.setSpan(parent, observed.span);
    }
    request[OBSERVED] = observed;
    inContext(request, observed, done);
  });
  // Body parsers may complete outside the request's async context; enter it again only if so.
  fastify.addHook('preValidation', (request: ObservedRequest, _reply, done) => {
    const observed = request[OBSERVED];
    const entered = currentCorrelationId() === request.id && (!observed?.span || trace.getActiveSpan() === observed.span);
    if (observed && !entered) inContext(request, observed, done);
    else done();
  });
  fastify.addHook('onResponse', (request: ObservedRequest, reply: FastifyReply, done) => {
    const observed = request[OBSERVED];
    if (!observed) return done();
    const seconds = Number(process.hrtime.bigint() - observed.startedAt) / 1e9;
    const route = routeOf(request);
    httpRequestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, seconds);
    if (observed.span) {
      observed.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) observed.span.setStatus({ code: SpanStatusCode.ERROR });
      observed.span.end();
    }
    if (accessLog) {
      const line = { event: 'http.access', method: request.method, route, status: reply.statusCode, durationMs: Math.round(seconds * 1e4) / 10, requestId: request.id };
      inContext(request, observed, () => (QUIET_ROUTES.has(route) ? accessLog.debug?.(line, 'request', 'AccessLog') : accessLog.log(line, 'request', 'AccessLog')));
    }
    done();
  });
}

function inContext<T>(request: FastifyRequest, observed: Observed, work: () => T): T {
  return observed.traceContext ? context.with(observed.traceContext, () => withCorrelationId(request.id, work)) : withCorrelationId(request.id, work);
}
