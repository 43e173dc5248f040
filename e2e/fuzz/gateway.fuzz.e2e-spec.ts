import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedApp } from './support/embedded-app';
import { Findings } from './support/findings';
import { FuzzRunner, routeSeed, runSettings } from './support/fuzz-runner';
import { GOOD_REQUESTS } from './support/good-requests';
import { operationsOf } from './support/openapi';
import { casesFor, examplesFor, materialise, type Operation, resolveText, unknownRouteCases } from './support/requests';
import { describeFrame, frames, sendFrame } from './support/websocket';
import { reachableTempDir } from '@platform/testing';

/**
 * Property-based fuzzing of every operation in the gateway's `/openapi.json`, unknown routes and `/ws`,
 * against the embedded system: never a 5xx, always an answer, the process alive and healthy, and a
 * refused request (≥ 400) writes no event, outbox or command status row.
 * FUZZ_SEED reproduces a run, FUZZ_RUNS sets the random cases per route, on top of its examples (the WebSocket batch sends 3× as many).
 */
describe('fuzz: the gateway from its OpenAPI document, against the embedded system', () => {
  const { seed, runs } = runSettings();
  const dataDir = reachableTempDir(join(tmpdir(), 'platform-fuzz-'));
  const runner = new FuzzRunner(new EmbeddedApp(dataDir));
  const replay = (route: string, index: number) => `FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm test -- e2e/fuzz (route seed ${routeSeed(seed, route)}, fast-check path "${index}")`;

  beforeAll(async () => {
    process.stdout.write(`fuzz: seed ${seed}, ${runs} runs per route (FUZZ_SEED / FUZZ_RUNS to change)\n`);
    try {
      await runner.start();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${runner.app.output()}`);
    }
  }, 180_000);

  afterAll(async () => {
    process.stdout.write(`fuzz: ${runner.cases} cases, ${runner.routes.size} routes, ${runner.frames} websocket frames (${runner.restarts} restart(s) after a crash, ${runner.seeds.created} seeding(s))\n${runner.findings.summary()}\n`);
    await runner.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  type Template = Parameters<typeof materialise>[1];
  type Answer = { status: number; location?: string; body: string };
  /** Every status the route answered, and the answer to its first example (the request it should accept). */
  async function fuzzRoute(route: string, operation: Pick<Operation, 'path'>, cases: fc.Arbitrary<Template>, examples: Template[] = []): Promise<{ statuses: Set<number>; firstExample?: Answer }> {
    await runner.prepare();
    const statuses = new Set<number>();
    let firstExample: Answer | undefined;
    let index = 0;
    await fc.assert(
      fc.asyncProperty(cases, async (template) => {
        const response = await runner.check(route, materialise(operation, template, runner.seeds.values), template, replay(route, index++));
        if (template === examples[0]) firstExample = { status: response.status, location: String(response.headers.location ?? ''), body: response.body.slice(0, 200) };
        statuses.add(response.status);
      }),
      // fast-check counts the examples in numRuns: FUZZ_RUNS random cases come on top of them.
      { seed: routeSeed(seed, route), numRuns: runs + examples.length, endOnFailure: true, examples: examples.map((example) => [example] as [Template]) },
    );
    await runner.checkAlive(route);
    return { statuses, firstExample };
  }

  it('every operation: no 5xx, an answer, alive and healthy, and a refusal writes nothing', async () => {
    const operations = await operationsOf(runner.app.baseUrl);
    const routes = operations.map((operation) => `${operation.method} ${operation.path}`);
    expect(routes).toEqual(expect.arrayContaining(['POST /profile/register-profile', 'POST /oauth/token', 'DELETE /o/apps/{id}', 'GET /request-status/{commandId}', 'POST /oauth/authorize/login', 'POST /oauth/authorize/consent']));

    expect(Object.keys(GOOD_REQUESTS).filter((route) => !routes.includes(route))).toEqual([]);
    const passes = (status?: number) => status !== undefined && status >= 200 && status < 400;
    // A redirect that carries an OAuth error back to the client is a refusal.
    const accepted = (answer?: Answer) => passes(answer?.status) && !/[?&#]error=/.test(answer?.location ?? '');
    const reached: string[] = [];
    const refusedBase: string[] = [];
    for (const operation of operations) {
      const route = `${operation.method} ${operation.path}`;
      const { statuses, firstExample } = await fuzzRoute(route, operation, casesFor(operation), examplesFor(operation, GOOD_REQUESTS[route]));
      if ([...statuses].some(passes)) reached.push(route);
      if (!accepted(firstExample)) refusedBase.push(`${route} (${firstExample?.status} ${firstExample?.location || firstExample?.body})`);
    }
    await fuzzRoute('unknown routes', { path: '' }, unknownRouteCases);

    const shallow = routes.filter((route) => !reached.includes(route));
    process.stdout.write(`fuzz: ${reached.length} of ${operations.length} routes answered at least one case with 2xx/3xx (not: ${shallow.join(', ') || 'none'})\n`);
    const problems: string[] = [];
    const failed = [...routes, 'unknown routes'].flatMap((route) => runner.findings.forRoute(route));
    if (failed.length > 0) problems.push(`${failed.length} distinct failure(s):\n\n${Findings.report(failed)}`);
    // The hazards start from the first example: a request the route refuses anyway would test only its refusal.
    if (refusedBase.length > 0) problems.push(`the first example, which the other examples vary, was refused by: ${refusedBase.join(', ')} (give the route a request in support/good-requests.ts)`);
    if (problems.length > 0) throw new Error(problems.join('\n\n'));
  }, 600_000);

  it('/ws: any frame gets an answer or a clean close, and the process stays alive', async () => {
    await runner.prepare();
    const route = 'WS /ws';
    const crashedClasses = new Set<string>();
    let index = 0;
    await fc.assert(
      fc.asyncProperty(frames, async (frame) => {
        const run = index++;
        if (crashedClasses.has(frame.cls)) return; // one crash per class is enough; each costs a restart
        runner.frames++;
        const t0 = Date.now();
        const outcome = await sendFrame(runner.app.baseUrl.replace('http', 'ws') + '/ws', frame, (text) => resolveText(text, runner.seeds.values));
        const finding = (kind: 'process exited' | 'websocket', status: string, detail?: string) =>
          runner.findings.add({ route, kind, status, request: describeFrame(frame), response: JSON.stringify(outcome), counterexample: fc.stringify(frame), replay: replay(route, run), features: [frame.cls], detail });
        if (process.env.FUZZ_DEBUG) process.stderr.write(`frame ${frame.cls} ${Date.now() - t0} ms ${JSON.stringify(outcome).slice(0, 80)}\n`);
        await new Promise((settle) => setTimeout(settle, 20));
        if (!runner.app.alive) {
          crashedClasses.add(frame.cls);
          finding('process exited', `${frame.cls} frame`, `${runner.app.exitDescription}; output tail:\n${runner.app.tail()}`);
          await runner.recover();
          return;
        }
        if (outcome.error) finding('websocket', `error for a ${frame.cls} frame`);
        const status = outcome.reply ? (JSON.parse(outcome.reply) as { status?: number }).status : undefined;
        if (status !== undefined && status >= 500) finding('websocket', `status ${status}`);
        if (outcome.closeCode !== undefined && ![1000, 1002, 1007, 1008, 1009].includes(outcome.closeCode)) finding('websocket', `close ${outcome.closeCode}`);
      }),
      { seed: routeSeed(seed, route), numRuns: runs * 3, endOnFailure: true },
    );
    await runner.checkAlive(route);
    const failed = runner.findings.forRoute(route);
    if (failed.length > 0) throw new Error(`${failed.length} distinct WebSocket failure(s):\n\n${Findings.report(failed)}`);
  }, 300_000);
});
