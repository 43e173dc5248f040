import { FORM, form } from '../load';
import type { Account } from '../platform';

/** One phase's view of the load: what was accepted and when the system answered well. */
export interface PhaseLoad {
  /** Command ids answered 202, with the time of the answer (Date.now()). */
  accepted: Map<string, number>;
  /** Times of successful client_credentials token answers. */
  tokensOk: number[];
  commandFailures: number;
  tokenFailures: number;
}

const newPhase = (): PhaseLoad => ({ accepted: new Map(), tokensOk: [], commandFailures: 0, tokenFailures: 0 });
const REQUEST_TIMEOUT_MS = 5_000;
/** Requests still unanswered beyond this are not added to, so a stalled system is not flooded. */
const MAX_IN_FLIGHT = 40;

/**
 * A steady open-model load on 127.0.0.1: `rate` application registrations and `rate` client_credentials
 * token requests per second, each kind capped at MAX_IN_FLIGHT unanswered requests. Runs between
 * resume() and pause(); answers are credited to the current phase.
 */
export class SteadyLoad {
  private phase = newPhase();
  private timer?: NodeJS.Timeout;
  private inFlight = { command: 0, token: 0 };
  private sent = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly url: string,
    private readonly account: Account,
    private readonly rate: number,
    private readonly maxRequests: number,
  ) {}

  /** Starts a new phase and sends load until pause(). */
  resume(): PhaseLoad {
    this.phase = newPhase();
    this.timer ??= setInterval(() => this.tick(), 1000 / this.rate);
    return this.phase;
  }

  /** Stops sending and waits for the requests in flight. */
  async pause(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.pending]);
  }

  private tick(): void {
    if (this.sent >= this.maxRequests) return;
    const phase = this.phase;
    if (this.inFlight.command < MAX_IN_FLIGHT) this.track('command', () => this.registerApplication(phase));
    if (this.inFlight.token < MAX_IN_FLIGHT) this.track('token', () => this.requestToken(phase));
  }

  private track(kind: 'command' | 'token', send: () => Promise<void>): void {
    this.sent += 1;
    this.inFlight[kind] += 1;
    const request = send()
      .catch(() => undefined)
      .finally(() => {
        this.inFlight[kind] -= 1;
        this.pending.delete(request);
      });
    this.pending.add(request);
  }

  private async registerApplication(phase: PhaseLoad): Promise<void> {
    try {
      const response = await fetch(`${this.url}/profile/oauth-application-register`, {
        method: 'POST',
        headers: { ...FORM, 'x-dpt-authorization': this.account.profileToken },
        body: form({ name: 'fault load', redirectUri: 'https://faults.example/cb', scopes: 'profile:read' }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = (await response.json()) as { commandId?: string };
      if (response.status === 202 && body.commandId) phase.accepted.set(body.commandId, Date.now());
      else phase.commandFailures += 1;
    } catch {
      phase.commandFailures += 1;
    }
  }

  private async requestToken(phase: PhaseLoad): Promise<void> {
    try {
      const response = await fetch(`${this.url}/oauth/token`, {
        method: 'POST',
        headers: { ...FORM, authorization: this.account.clientAuthorization },
        body: form({ grant_type: 'client_credentials' }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = (await response.json()) as { access_token?: string };
      if (response.status === 200 && body.access_token) phase.tokensOk.push(Date.now());
      else phase.tokenFailures += 1;
    } catch {
      phase.tokenFailures += 1;
    }
  }
}
