/**
 * Shared test helpers: a seeded PRNG (tests must be reproducible), an independent reference for the
 * transition matrix and absorption probabilities (so the oracle does not reuse the code under test),
 * and the ChannelAttribution Data.csv loader.
 */

import * as fs from 'fs';
import * as path from 'path';
import type { AttributionPath } from '../../../src/analytics/markov';

export { prng } from '../../helpers/prng';

/**
 * Reference chain built with string-keyed maps, independently of src/: states are
 * '(start)', channel names, '(conversion)', '(null)'. Absorbing states get a self-loop of 1 so
 * power iteration keeps their mass.
 */
export interface RefChain {
  states: string[];
  p: number[][];
}

export function referenceChain(paths: readonly AttributionPath[], collapse = true): RefChain {
  const counts = new Map<string, Map<string, number>>();
  const add = (a: string, b: string, w: number): void => {
    if (w === 0) return;
    const row = counts.get(a) ?? new Map<string, number>();
    row.set(b, (row.get(b) ?? 0) + w);
    counts.set(a, row);
  };
  const channels = new Set<string>();
  for (const p of paths) {
    const seq = collapse ? p.path.filter((c, i) => i === 0 || p.path[i - 1] !== c) : [...p.path];
    const w = p.conversions + p.nulls;
    if (w === 0) continue;
    seq.forEach((c) => channels.add(c));
    const walk = ['(start)', ...seq];
    for (let i = 1; i < walk.length; i++) add(walk[i - 1], walk[i], w);
    add(walk[walk.length - 1], '(conversion)', p.conversions);
    add(walk[walk.length - 1], '(null)', p.nulls);
  }
  const states = ['(start)', ...[...channels].sort(), '(conversion)', '(null)'];
  const idx = new Map(states.map((s, i) => [s, i]));
  const p = states.map((s) => {
    const row = new Array<number>(states.length).fill(0);
    const r = counts.get(s);
    if (s === '(conversion)' || s === '(null)') row[idx.get(s)!] = 1;
    else if (r) {
      const total = [...r.values()].reduce((a, b) => a + b, 0);
      for (const [to, c] of r) row[idx.get(to)!] = c / total;
    }
    return row;
  });
  return { states, p };
}

/** Redirect transitions into `channel` to (null), as the removal effect defines. */
export function referenceRemove(chain: RefChain, channel: string): RefChain {
  const c = chain.states.indexOf(channel);
  const nul = chain.states.indexOf('(null)');
  return {
    states: chain.states,
    p: chain.p.map((row) => {
      const r = [...row];
      r[nul] += r[c];
      r[c] = 0;
      return r;
    }),
  };
}

/**
 * Push the start distribution through the chain `steps` times; returns the mass in (conversion) and
 * the mass still transient (an upper bound on the truncation error).
 */
export function powerIterate(chain: RefChain, steps: number): { conversion: number; transient: number } {
  const n = chain.states.length;
  let dist = new Array<number>(n).fill(0);
  dist[0] = 1;
  for (let s = 0; s < steps; s++) {
    const next = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      if (dist[i] === 0) continue;
      const row = chain.p[i];
      for (let j = 0; j < n; j++) if (row[j] !== 0) next[j] += dist[i] * row[j];
    }
    dist = next;
  }
  const conversion = dist[n - 2];
  return { conversion, transient: 1 - conversion - dist[n - 1] };
}

export interface CsvData {
  paths: AttributionPath[];
  totalConversions: number;
  totalValue: number;
}

/** shared/ sits beside the repo: test/analytics/markov -> test/analytics -> test -> repo -> parent. */
export const DATA_CSV = path.resolve(__dirname, '../../../../shared/data/channel_attribution/Data.csv');

export function loadDataCsv(file = DATA_CSV): CsvData {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0].split(';');
  if (header.join(';') !== 'path;total_conversions;total_conversion_value;total_null') {
    throw new Error(`unexpected Data.csv header: ${lines[0]}`);
  }
  let totalConversions = 0;
  let totalValue = 0;
  const paths = lines.slice(1).map((l) => {
    const [p, conv, value, nulls] = l.split(';');
    totalConversions += Number(conv);
    totalValue += Number(value);
    return {
      path: p.split(' > ').map((c) => c.trim()),
      conversions: Number(conv),
      nulls: Number(nulls),
      value: Number(value),
    };
  });
  return { paths, totalConversions, totalValue };
}
