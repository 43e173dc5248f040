import type { ChildProcess } from 'node:child_process';
import type { Answer, GatewayClient } from './client';

export const basic = (id: string, secret: string, scheme = 'Basic') => `${scheme} ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export const privicoreError = (answer: Answer, status: number, code?: string) => {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ error: code ?? expect.any(String), message: expect.any(String), ...(answer.body.details ? { details: expect.anything() } : {}) });
};

export const oauthError = (answer: Answer, status: number, code: string) => {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ error: code, error_description: expect.any(String) });
};

export const envelopeError = (answer: Answer, status: number, code: string) => {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ error: { code, message: expect.any(String), details: expect.any(Object) } });
};

/** After an attempt to crash it: every process of the target still runs and the gateway answers /health. */
export async function expectAlive(client: GatewayClient, processes: ChildProcess[]): Promise<void> {
  for (const child of processes) expect({ pid: child.pid, exitCode: child.exitCode, signal: child.signalCode }).toEqual({ pid: child.pid, exitCode: null, signal: null });
  expect((await client.request('GET', '/health')).status).toBe(200);
}

export async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
