/**
 * Load series measured side by side: runners alternated turn by turn so machine noise hits every
 * side, each turn watched for event-loop stalls, and the comparison rows (p50, p99, throughput) of
 * MartQL against one baseline.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ms, quantile, type LoadResult } from './load-clients';
import type { BenchRow } from './table';

export interface Series {
  p50: number;
  p99: number;
  rps: number;
  resets: number;
  /** The longest the main thread's event loop (the server's) went without turning, ms. */
  stallMs: number;
}

function series(runs: (LoadResult & { stallMs: number })[]): Series {
  const latencies = runs.flatMap((r) => r.latencies);
  const wall = runs.reduce((sum, r) => sum + r.wallMs, 0);
  return {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    rps: (latencies.length / wall) * 1000,
    resets: runs.reduce((sum, r) => sum + r.resets, 0),
    stallMs: Math.max(...runs.map((r) => r.stallMs)),
  };
}

async function watched(run: Promise<LoadResult>): Promise<LoadResult & { stallMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  try {
    const result = await run;
    return { ...result, stallMs: delay.max / 1e6 };
  } finally {
    delay.disable();
  }
}

const perSecond = (rps: number) => rps.toFixed(rps < 10 ? 1 : 0);

/** p50, p99 and throughput of MartQL against one baseline at one level, one row each. */
export function compared(
  label: string,
  ours: Series,
  theirs: Series,
  name: string,
  p50Target: string,
): BenchRow[] {
  const against = name === 'pg' ? '' : ` against ${name}`;
  const resets = [
    ours.resets ? `MartQL ${ours.resets}` : '',
    theirs.resets ? `${name} ${theirs.resets}` : '',
  ].filter(Boolean);
  return [
    {
      what: `${label}: p50${against}`,
      martql: ms(ours.p50),
      baseline: `${ms(theirs.p50)} ${name}`,
      ratio: ours.p50 / theirs.p50,
      target: p50Target,
    },
    {
      what: `${label}: p99${against}${resets.length ? ` (keep-alive resets sent again: ${resets.join(', ')})` : ''}`,
      martql: ms(ours.p99),
      baseline: `${ms(theirs.p99)} ${name}`,
      ratio: ours.p99 / theirs.p99,
      target: '—',
    },
    {
      what: `${label}: throughput${against}`,
      martql: `${perSecond(ours.rps)} req/s`,
      baseline: `${perSecond(theirs.rps)} req/s ${name}`,
      ratio: ours.rps / theirs.rps,
      target: '— (higher is better)',
    },
  ];
}

export type Runner = (clients: number, total: number) => Promise<LoadResult>;

/**
 * The runners alternated, `rounds` turns each (A B C A B C ...), so drift on a noisy machine hits
 * all of them; short levels take more, shorter turns, so a burst of other work lands on every side.
 * Each runner first takes `warmup` requests unmeasured: connections opened, plans and parsed
 * documents cached and, with a few hundred, the servers' hot paths compiled by V8.
 */
export async function alternate(
  runners: Runner[],
  clients: number,
  total: number,
  rounds = 2,
  warmup = Math.max(clients * 2, 20),
): Promise<Series[]> {
  const turn = Math.ceil(total / rounds);
  for (const run of runners) await run(clients, warmup);
  const results = runners.map(() => [] as (LoadResult & { stallMs: number })[]);
  for (let i = 0; i < rounds; i++) {
    for (const [k, run] of runners.entries()) results[k].push(await watched(run(clients, turn)));
  }
  return results.map(series);
}
