import { load, type LoadResult, type Target } from './load';
import { median } from './stats';

export interface Figures {
  rate: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export interface RunOptions {
  connections: number;
  seconds: number;
  runs: number;
  warmupSeconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A run, then a pause as long as its p99 (0.5–5 s): requests still in flight when the generator stops
 * finish on the server during the pause, not during the other side's run.
 */
async function measured(target: Target, connections: number, seconds: number): Promise<LoadResult> {
  const result = await load(target, { connections, seconds });
  await sleep(Math.min(5000, Math.max(500, result.p99)));
  return result;
}

/** Medians of rate and latency over the runs; errors and non-2xx are totals. */
export const summarizeRuns = (runs: LoadResult[]): Figures => ({
  rate: median(runs.map((run) => run.rate)),
  p50: median(runs.map((run) => run.p50)),
  p99: median(runs.map((run) => run.p99)),
  errors: runs.reduce((sum, run) => sum + run.errors, 0),
  non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
});

/**
 * The fairness core: one warm-up each, then ours, peer, ours, peer… with the same generator, the same
 * connections and the same duration, so both sides see the same machine load within the same minute.
 */
export async function alternate(ours: Target, peer: Target, options: RunOptions, progress: (line: string) => void): Promise<{ ours: Figures; peer: Figures }> {
  const load$ = (target: Target, seconds: number) => measured(target, options.connections, seconds);
  await load$(ours, options.warmupSeconds);
  await load$(peer, options.warmupSeconds);
  const oursRuns: LoadResult[] = [];
  const peerRuns: LoadResult[] = [];
  for (let run = 1; run <= options.runs; run += 1) {
    oursRuns.push(await load$(ours, options.seconds));
    peerRuns.push(await load$(peer, options.seconds));
    progress(`  run ${run}/${options.runs}: ours ${oursRuns[run - 1].rate.toFixed(0)}/s, peer ${peerRuns[run - 1].rate.toFixed(0)}/s`);
  }
  return { ours: summarizeRuns(oursRuns), peer: summarizeRuns(peerRuns) };
}

/** A warm-up, then runs of one side only (the large-store row compares our platform with itself). */
export async function repeat(target: Target, options: RunOptions, progress: (line: string) => void): Promise<Figures> {
  await measured(target, options.connections, options.warmupSeconds);
  const runs: LoadResult[] = [];
  for (let run = 1; run <= options.runs; run += 1) {
    runs.push(await measured(target, options.connections, options.seconds));
    progress(`  run ${run}/${options.runs}: ${runs[run - 1].rate.toFixed(0)}/s`);
  }
  return summarizeRuns(runs);
}
