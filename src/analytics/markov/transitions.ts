/**
 * The first-order transition matrix estimated from aggregated paths.
 *
 * States are laid out densely so the linear algebra in absorb.ts can work on plain arrays:
 * 0 = (start), 1..n = the channels in PathSet order, n+1 = (conversion), n+2 = (null). Each path
 * observed by w = conversions + nulls journeys contributes w to start -> first channel and to every
 * consecutive pair, then `conversions` to last -> (conversion) and `nulls` to last -> (null).
 * Probabilities are the counts divided by their row total (the maximum-likelihood estimate).
 */

import { CONVERSION_STATE, NULL_STATE, PathSet, START_STATE } from './paths';

export interface MarkovChain {
  /** State names, index-aligned with the matrix rows. */
  states: string[];
  /** Number of channel states (states 1..channelCount). */
  channelCount: number;
  /**
   * Row-stochastic over the transient states (start and channels). The two absorbing states, and any
   * channel never left in the data, have all-zero rows: absorption is handled by absorb.ts rather than
   * by self-loops, which keeps the matrix exactly what was estimated.
   */
  probabilities: number[][];
}

export interface Transition {
  from: string;
  to: string;
  probability: number;
}

export const START = 0;
export const conversionIndex = (chain: { channelCount: number }): number => chain.channelCount + 1;
export const nullIndex = (chain: { channelCount: number }): number => chain.channelCount + 2;

export function buildChain(set: PathSet): MarkovChain {
  const n = set.channels.length;
  const size = n + 3;
  const conv = n + 1;
  const nul = n + 2;
  const counts = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (const p of set.paths) {
    const w = p.conversions + p.nulls;
    let prev = START;
    for (const c of p.channels) {
      counts[prev][c + 1] += w;
      prev = c + 1;
    }
    counts[prev][conv] += p.conversions;
    counts[prev][nul] += p.nulls;
  }
  const probabilities = counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total > 0 ? row.map((x) => x / total) : row.map(() => 0);
  });
  return {
    states: [START_STATE, ...set.channels, CONVERSION_STATE, NULL_STATE],
    channelCount: n,
    probabilities,
  };
}

/** The non-zero transitions, in state order (start, channels, conversion, null) for stable output. */
export function listTransitions(chain: MarkovChain): Transition[] {
  const out: Transition[] = [];
  chain.probabilities.forEach((row, i) =>
    row.forEach((p, j) => {
      if (p > 0) out.push({ from: chain.states[i], to: chain.states[j], probability: p });
    }),
  );
  return out;
}
