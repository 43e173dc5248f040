import autocannon from 'autocannon';
import { Agent, request as httpRequest } from 'node:http';
import { summarize } from './stats';

/** One HTTP request the load generator repeats. */
export interface Target {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** A 2xx whose body fails this check counts as a mismatch (an error). */
  verifyBody?: (body: string) => boolean;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** Requests per second across all connections (an open model); unset = as fast as answered. */
  overallRate?: number;
  /** Called with each response, on the bench's own clock (performance.now()). */
  onResponse?: (status: number, body: string, at: number) => void;
}

export interface LoadResult {
  /** Successful (2xx, body verified) responses per second. */
  rate: number;
  p50: number;
  p99: number;
  /** Connection errors and timeouts, plus mismatched bodies. */
  errors: number;
  non2xx: number;
  requests: number;
  seconds: number;
}

export const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
export const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** A client_credentials request at a token endpoint, as every side of the token rows sends it. */
export const clientCredentialsAt = (url: string, authorization: string, fields: Record<string, string> = {}): Target => ({
  url,
  headers: { ...FORM, authorization },
  body: form({ grant_type: 'client_credentials', ...fields }),
  verifyBody: (body) => body.includes('"access_token"'),
});

/** Runs autocannon in this process against one target; the same generator drives ours and the peer. */
export async function load(target: Target, options: LoadOptions): Promise<LoadResult> {
  const url = new URL(target.url);
  const { onResponse } = options;
  const result = await autocannon({
    url: url.origin,
    connections: options.connections,
    duration: options.seconds,
    overallRate: options.overallRate,
    timeout: 30,
    requests: [
      {
        method: target.method ?? 'POST',
        path: url.pathname + url.search,
        headers: target.headers,
        body: target.body,
        ...(onResponse ? { onResponse: (status: number, body: string) => onResponse(status, body, performance.now()) } : {}),
      },
    ],
    ...(target.verifyBody ? { verifyBody: (body?: string | Buffer) => target.verifyBody!(String(body ?? '')) } : {}),
  });
  const ok = result['2xx'] - result.mismatches;
  return {
    rate: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.mismatches,
    non2xx: result.non2xx,
    requests: result.requests.total,
    seconds: result.duration,
  };
}

/**
 * An open-loop load at an even pace: request i is sent at start + i / rate, whatever the answers do
 * (autocannon's `overallRate` instead lets each connection send its share as fast as it can at the top
 * of every second, which measures a burst, not a rate). Latency is from each request's due time, so a
 * generator that falls behind counts against the server, not in its favour.
 */
export async function pacedLoad(target: Target, options: { rate: number; seconds: number; onResponse?: LoadOptions['onResponse'] }): Promise<LoadResult> {
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  // node:http on keep-alive sockets: fetch cost the generator about half a millisecond of CPU a request,
  // a quarter of a core at 500/s taken from the stack it measures on the same two cores.
  const url = new URL(target.url);
  const agent = new Agent({ keepAlive: true }); // no socket cap, like fetch: a stalled server must not queue requests in the generator
  const body = target.body === undefined ? undefined : Buffer.from(target.body);
  const headers = { ...target.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
  const exchange = () =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = httpRequest(url, { method: target.method ?? 'POST', headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        response.once('error', reject);
      });
      request.setTimeout(30_000, () => request.destroy(new Error('timeout')));
      request.once('error', reject);
      request.end(body);
    });
  const send = async (dueAt: number) => {
    try {
      const { status, text } = await exchange();
      const at = performance.now();
      options.onResponse?.(status, text, at);
      latencies.push(at - dueAt);
      if (status < 200 || status > 299) non2xx += 1;
      else if (target.verifyBody && !target.verifyBody(text)) errors += 1;
      else ok += 1;
    } catch {
      errors += 1;
    }
  };
  const start = performance.now();
  for (let sent = 0; sent < total; ) {
    const now = performance.now();
    for (; sent < total && start + sent * interval <= now; sent += 1) {
      const request = send(start + sent * interval);
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
    if (sent < total) await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + sent * interval - performance.now())));
  }
  await Promise.all(inFlight);
  agent.destroy();
  const seconds = (performance.now() - start) / 1000;
  const { p50, p99 } = summarize(latencies);
  return { rate: ok / seconds, p50, p99, errors, non2xx, requests: total, seconds };
}
