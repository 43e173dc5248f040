import { summarizeRuns } from './compare';
import type { LoadResult } from './load';
import { median, summarize } from './stats';

const run = (rate: number, p50: number, p99: number, errors = 0, non2xx = 0): LoadResult => ({ rate, p50, p99, errors, non2xx, requests: rate, seconds: 1 });

describe('bench statistics', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
    expect(median([])).toBeNaN();
  });

  it('reports medians of rate and latency across runs and totals of errors and non-2xx', () => {
    const figures = summarizeRuns([run(100, 5, 50, 1, 0), run(300, 1, 10, 0, 2), run(200, 3, 30, 0, 1)]);
    expect(figures).toEqual({ rate: 200, p50: 3, p99: 30, errors: 1, non2xx: 3 });
  });

  it('takes percentiles by rank: the p99 of 100 samples is the 99th smallest', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarize(samples)).toEqual({ count: 100, p50: 50, p99: 99 });
  });
});
