import { context, isSpanContextValid, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node';

export { SpanKind };

export const tracer = () => trace.getTracer('oauth-platform');

let registered = false;

/** Whether spans are recorded: with no provider registered, per-request span and context work is skipped. */
export const tracingActive = (): boolean => registered;

export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * Tracing is off unless an OTLP endpoint is configured (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`): then spans go to it over OTLP/HTTP, and the exporter,
 * sampler and resource read the standard `OTEL_*` variables. Off, the API is a no-op.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  return registerTracing(env.OTEL_SERVICE_NAME || serviceName, new OTLPTraceExporter());
}

/** Installs a tracer provider (AsyncLocalStorage context, W3C trace context) exporting to `exporter`. */
export function registerTracing(serviceName: string, exporter: SpanExporter, options: { batch?: boolean } = {}): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }).merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: [options.batch === false ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  provider.register();
  registered = true;
  return {
    shutdown: async () => {
      registered = false;
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** The active trace context as message headers (`traceparent`, `tracestate`); empty when tracing is off. */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

/** The trace and span ids of the active span, for log lines; empty when there is none. */
export function activeTraceIds(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? { traceId: spanContext.traceId, spanId: spanContext.spanId } : {};
}

/** Runs `work` in a new active span; a thrown error marks the span and is rethrown. */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Record<string, string | number>; parentHeaders?: Record<string, string> },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parentHeaders ? propagation.extract(ROOT_CONTEXT, options.parentHeaders) : context.active();
  return tracer().startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
