import { request as httpRequest } from 'node:http';

/** One generated HTTP request, exactly as it goes on the wire (path already encoded, body already bytes). */
export interface FuzzRequest {
  method: string;
  /** Path and query, percent-encoded by the generator so that odd bytes (%00, %ED%A0%80, %FF) survive. */
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
}

export interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A raw node:http request (fetch would normalise the header values and refuse some of them). A request
 * without an answer (reset, timeout) resolves with status 0 and the error in the body.
 */
export function send(baseUrl: string, fuzz: FuzzRequest, timeoutMs = 15_000): Promise<FuzzResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    const done = (response: FuzzResponse) => {
      if (settled) return;
      settled = true;
      resolve(response);
    };
    const headers = { ...fuzz.headers };
    if (fuzz.body !== undefined) headers['content-length'] = String(fuzz.body.length);
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: fuzz.method, path: fuzz.path, headers, agent: false, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => done({ status: 0, headers: {}, body: `response error: ${error.message}` }));
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    req.on('error', (error) => done({ status: 0, headers: {}, body: `request error: ${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` }));
    req.end(fuzz.body);
  });
}

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

/** A readable, bounded rendering of a request for failure reports. */
export function describeRequest(fuzz: FuzzRequest): string {
  const headers = Object.entries(fuzz.headers)
    .map(([name, value]) => `  ${name}: ${clip(JSON.stringify(value), 200)}`)
    .join('\n');
  const body = fuzz.body === undefined ? '(no body)' : clip(JSON.stringify(fuzz.body.toString('latin1')), 400);
  return `${fuzz.method} ${clip(fuzz.path, 300)}\n${headers}\n  body (${fuzz.body?.length ?? 0} bytes, latin1): ${body}`;
}

export const describeResponse = (response: FuzzResponse): string => `${response.status} ${clip(response.body, 500)}`;
