import { collectDefaultMetrics, Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * Every series the platform exports, on prom-client's default registry: one registry per process,
 * so the embedded default (gateway and services in one process) serves them all on one `/metrics`.
 */
collectDefaultMetrics();

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests by method, route pattern and status code: the count is the rate, 5xx the errors.',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: LATENCY_BUCKETS,
});

export const gatewayCommandDuration = new Histogram({
  name: 'platform_gateway_command_duration_seconds',
  help: 'Commands from dispatch at the gateway to their terminal status, by context, type and outcome.',
  labelNames: ['context', 'type', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
});

export const serviceCommandDuration = new Histogram({
  name: 'platform_service_command_duration_seconds',
  help: 'Commands decided and appended by a context service (load, decide, append), by type and outcome.',
  labelNames: ['context', 'type', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
});

export const consumerLag = new Gauge({
  name: 'platform_consumer_lag_messages',
  help: 'Messages published to a partition and not yet handled by a consumer group (sampled on scrape).',
  labelNames: ['group', 'topic', 'partition'] as const,
});

export const outboxDepth = new Gauge({
  name: 'platform_outbox_depth_rows',
  help: 'Rows waiting in an outbox to be published (sampled on scrape).',
  labelNames: ['schema'] as const,
});

export const projectionLag = new Gauge({
  name: 'platform_projection_lag_events',
  help: "Events in a context's store after the last one the gateway's read models applied (sampled on scrape).",
  labelNames: ['context'] as const,
});

export const tokensIssued = new Counter({
  name: 'platform_tokens_issued_total',
  help: 'Access tokens issued, by OAuth grant type.',
  labelNames: ['grant_type'] as const,
});

export const authFailures = new Counter({
  name: 'platform_auth_failures_total',
  help: 'Refused authentications and authorizations (401, 403, 429), by error code and status.',
  labelNames: ['kind', 'status_code'] as const,
});

type Sampler = () => Promise<void> | void;
const samplers = new Set<Sampler>();

/** Runs `sample` before every scrape (gauges of database or broker state); returns the unregistration. */
export function onScrape(sample: Sampler): () => void {
  samplers.add(sample);
  return () => samplers.delete(sample);
}

/** The exposition text, after every sampler ran; a failing sampler leaves its gauges as they were. */
export async function scrape(): Promise<string> {
  await Promise.allSettled([...samplers].map(async (sample) => sample()));
  return register.metrics();
}

export const metricsContentType = register.contentType;

/** Times an async operation into a histogram, labelling it with the outcome it resolved to (or `error`). */
export async function timed<T>(
  histogram: Histogram<'context' | 'type' | 'outcome'>,
  labels: { context: string; type: string },
  run: () => Promise<T>,
  outcomeOf: (result: T) => string,
): Promise<T> {
  const end = histogram.startTimer(labels);
  try {
    const result = await run();
    end({ outcome: outcomeOf(result) });
    return result;
  } catch (error) {
    end({ outcome: 'error' });
    throw error;
  }
}
