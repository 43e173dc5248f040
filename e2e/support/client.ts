/** A thin HTTP client that speaks to the gateway the way a Privicore client does. */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export class GatewayClient {
  constructor(readonly baseUrl: string) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { form?: Record<string, string | string[]>; json?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.form) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(options.form)) {
        for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
      }
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /** Polls `/request-status/{id}` until the command ends; every poll must find the command. */
  async waitForCommand(commandId: string, token?: string, timeoutMs = 20_000): Promise<Answer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await this.request('GET', `/request-status/${commandId}`, { headers: token ? { 'x-dpt-authorization': token } : {} });
      if (answer.status !== 200) throw new Error(`poll of ${commandId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      if (answer.body.status !== 'started') return answer;
      if (Date.now() > deadline) throw new Error(`command ${commandId} still started after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async register(username: string, password: string): Promise<{ commandId: string; answer: Answer }> {
    const answer = await this.request('POST', '/profile/register-profile', { form: { username, password } });
    return { commandId: String(answer.body.commandId), answer };
  }

  async authenticate(username: string, password: string): Promise<Answer> {
    return this.request('POST', '/profile/authenticate', { form: { username, password } });
  }
}

export const randomUsername = (prefix = 'user'): string => `${prefix}.${Math.random().toString(36).slice(2, 10)}`;
