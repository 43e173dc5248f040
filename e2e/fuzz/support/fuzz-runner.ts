import fc from 'fast-check';
import { GatewayClient } from '../../support/client';
import { EmbeddedApp } from './embedded-app';
import { Findings, type FindingKind, featuresOf } from './findings';
import { describeRequest, describeResponse, type FuzzRequest, type FuzzResponse, send } from './http';
import { Seeds } from './seeds';
import { StoreWatch } from './store-watch';

/** Events a refused request may append by design: a replayed code or a reused refresh token revokes its grant. */
const REPLAY_DEFENCE = new Set(['token:AuthorizationCodeReplayed', 'token:RefreshTokenReuseDetected', 'token:GrantRevoked']);

export const runSettings = () => {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261124;
  const runs = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 40;
  if (!Number.isInteger(seed) || !Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_SEED and FUZZ_RUNS must be integers, got ${process.env.FUZZ_SEED} / ${process.env.FUZZ_RUNS}`);
  return { seed, runs };
};

/** A stable per-route seed, so that one route's cases do not depend on how many routes ran before it. */
export const routeSeed = (seed: number, route: string): number => [...route].reduce((hash, char) => (Math.imul(hash, 31) + char.charCodeAt(0)) | 0, seed);

/**
 * Sends the cases one at a time against the embedded system and checks each: no 5xx, an answer, the
 * process alive, and, for every answer ≥ 400, no row added to an event store, outbox or command status.
 */
export class FuzzRunner {
  readonly findings = new Findings();
  readonly seeds: Seeds;
  readonly watch = new StoreWatch();
  cases = 0;
  frames = 0;
  restarts = 0;
  readonly routes = new Set<string>();
  private settled = false;

  constructor(readonly app: EmbeddedApp) {
    this.seeds = new Seeds(() => this.client);
  }

  get client(): GatewayClient {
    return new GatewayClient(this.app.baseUrl);
  }

  async start(): Promise<void> {
    await this.app.start();
    await this.watch.connect(this.app.databaseUrl());
    await this.seeds.create();
  }

  async stop(): Promise<void> {
    await this.watch.close();
    await this.app.stop();
  }

  /** Before a property: usable seeds and a quiet store. */
  async prepare(): Promise<void> {
    if (!this.app.alive) await this.recover();
    await this.seeds.ensureUsable();
    this.settled = false;
  }

  async check(route: string, request: FuzzRequest, counterexample: unknown, replay: string): Promise<FuzzResponse> {
    this.cases++;
    this.routes.add(route);
    if (!this.app.alive) await this.recover();
    const before = this.settled ? await this.watch.snapshot() : await this.watch.settle();
    const mark = this.app.mark();
    const startedAt = new Date();
    const response = await send(this.app.baseUrl, request);
    // A dying process drops the connection a moment before its exit is seen.
    if (response.status === 0) await new Promise((settle) => setTimeout(settle, 300));
    const cause = response.status >= 500 ? (await this.app.errorsSince(mark))[0] : undefined;
    const record = (kind: FindingKind, detail?: string) =>
      this.findings.add({
        route,
        kind,
        status: response.status || 'none',
        request: describeRequest(request),
        response: describeResponse(response),
        counterexample: fc.stringify(counterexample),
        replay,
        features: featuresOf(request),
        detail,
        cause,
      });
    this.settled = response.status >= 400;
    if (process.env.FUZZ_DEBUG) process.stderr.write(`case ${route} ${response.status} ${featuresOf(request).join(', ')} ${response.body.slice(0, 100)}\n`);

    if (!this.app.alive) {
      record('process exited', `${this.app.exitDescription}; output tail:\n${this.app.tail()}`);
      await this.recover();
      return response;
    }
    if (response.status === 0) record('no answer');
    else if (response.status >= 500) record('server error');
    if (response.status >= 400) {
      const added = StoreWatch.added(before, await this.watch.snapshot());
      if (added.length > 0) {
        this.settled = false;
        const written = await this.watch.writtenSince(before, startedAt);
        const replayDefence = written.events.length > 0 && written.events.every((type) => REPLAY_DEFENCE.has(type)) && written.events.some((type) => !type.endsWith('GrantRevoked'));
        const own = written.commands.length > 0 || written.events.length > 0;
        if (own && !replayDefence) {
          const tables = added.map((change) => `${change.table} ${JSON.stringify(change.before)} → ${JSON.stringify(change.after)}`).join('; ');
          record('refused request wrote', `${tables}; commands: ${written.commands.join(', ') || 'none'}; events: ${written.events.join(', ') || 'none'}`);
        }
      }
    }
    return response;
  }

  /** After a property or a batch: the process is alive and healthy. */
  async checkAlive(route: string): Promise<void> {
    const alive = this.app.alive;
    const healthy = alive && (await this.app.healthy());
    if (!healthy) {
      this.findings.add({
        route,
        kind: alive ? 'unhealthy' : 'process exited',
        status: alive ? '/health not 200' : this.app.exitDescription,
        request: '(end of property)',
        response: '',
        counterexample: '',
        replay: '',
        features: [],
        detail: this.app.tail(),
      });
      await this.recover();
    }
  }

  /** A crashed or unhealthy app is started again on its data, so that the next routes still run. */
  async recover(): Promise<void> {
    this.restarts++;
    const t0 = Date.now();
    await this.app.restart();
    const t1 = Date.now();
    await this.watch.connect(this.app.databaseUrl());
    await this.seeds.ensureUsable(); // the data survives the restart: its tokens usually still work
    if (process.env.FUZZ_DEBUG) process.stderr.write(`recover: restart ${t1 - t0} ms, seeds ${Date.now() - t1} ms\n`);
    this.settled = false;
  }
}
