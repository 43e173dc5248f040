import WebSocket from 'ws';
import { FORM, form, load, pacedLoad } from './load';
import type { Account, Platform } from './platform';
import { summarize } from './stats';

export interface CommandFigures {
  accepted: number;
  /** 202s per second while the generator ran. */
  acceptedRate: number;
  succeeded: number;
  /** Accepted commands that were rejected or had not succeeded when the wait ended. */
  failed: number;
  non2xx: number;
  errors: number;
  /** Succeeded commands per second, from the first 202 to the last success. */
  rate: number;
  /** 202 → succeeded on the bench's clock (the 202's arrival to the push's arrival). */
  p50: number;
  p99: number;
}

const SUCCEEDED = 2;
const REJECTED = 3;

/**
 * Listens on /ws for the account's command statuses, stamping each with the bench's clock. A push can
 * beat the 202 to the bench; latency then counts as 0.
 */
async function listen(platform: Platform, account: Account) {
  const socket = new WebSocket(`${platform.url.replace('http', 'ws')}/ws`);
  const finished = new Map<string, { at: number; status: number }>();
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ action: 'joinChannel', data: { authorizationToken: account.profileToken, correlationId: 'bench' } })));
    socket.on('message', (raw) => {
      const at = performance.now();
      const message = JSON.parse(raw.toString()) as { status?: number; data?: { id?: string; command_status?: number } };
      if (message.status === 200) resolve();
      else if (message.status) reject(new Error(`joinChannel answered ${JSON.stringify(message)}`));
      const id = message.data?.id;
      if (id && (message.data?.command_status === SUCCEEDED || message.data?.command_status === REJECTED)) finished.set(id, { at, status: message.data.command_status });
    });
  });
  return { finished, close: () => socket.close() };
}

/** Registers OAuth applications (a cheap command) under load and follows each to `succeeded`. */
export async function commandLoad(platform: Platform, account: Account, options: { connections: number; seconds: number; overallRate?: number; drainMs: number }): Promise<CommandFigures> {
  const listener = await listen(platform, account);
  const accepted = new Map<string, number>();
  try {
    const target = {
      url: `${platform.url}/profile/oauth-application-register`,
      headers: { ...FORM, 'x-dpt-authorization': account.profileToken },
      body: form({ name: 'bench command', redirectUri: 'https://bench.example/cb', scopes: 'profile:read' }),
    };
    const onResponse = (status: number, body: string, at: number) => {
      if (status === 202) accepted.set((JSON.parse(body) as { commandId: string }).commandId, at);
    };
    // A fixed rate is paced evenly (open loop); without one, 64 connections send as fast as answered.
    const result = options.overallRate
      ? await pacedLoad(target, { rate: options.overallRate, seconds: options.seconds, onResponse })
      : await load(target, { connections: options.connections, seconds: options.seconds, onResponse });
    const deadline = Date.now() + options.drainMs;
    const pending = () => [...accepted.keys()].filter((id) => !listener.finished.has(id));
    while (pending().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const latencies: number[] = [];
    let first = Infinity;
    let last = -Infinity;
    let succeeded = 0;
    for (const [id, acceptedAt] of accepted) {
      first = Math.min(first, acceptedAt);
      const outcome = listener.finished.get(id);
      if (outcome?.status !== SUCCEEDED) continue;
      succeeded += 1;
      last = Math.max(last, outcome.at);
      latencies.push(Math.max(0, outcome.at - acceptedAt));
    }
    const latency = summarize(latencies);
    return {
      accepted: accepted.size,
      acceptedRate: accepted.size / result.seconds,
      succeeded,
      failed: accepted.size - succeeded,
      non2xx: result.non2xx,
      errors: result.errors,
      rate: succeeded > 0 ? succeeded / ((last - first) / 1000) : 0,
      p50: latency.p50,
      p99: latency.p99,
    };
  } finally {
    listener.close();
  }
}
