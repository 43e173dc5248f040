import autocannon from 'autocannon';

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
