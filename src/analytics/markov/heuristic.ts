/**
 * Rule-based attribution (first touch, last touch, linear) over the same aggregated paths as the
 * Markov model, so reports can show the data-driven numbers next to the rules people already know.
 *
 * Only converting journeys carry credit here; `nulls` are ignored by design (a rule has no use for
 * journeys that did not convert). Linear splits each path's conversions and value equally over its
 * touches; with the default `collapseRepeats: true` a run of the same channel counts as one touch,
 * pass `false` for per-touch credit. First and last touch are unaffected by collapsing.
 */

import { AttributionInputError, AttributionPath, PathOptions, preparePaths } from './paths';
import { AttributionRow, creditRows } from './rows';

export type HeuristicModel = 'first_touch' | 'last_touch' | 'linear';

export function heuristicAttribution(
  paths: readonly AttributionPath[],
  model: HeuristicModel,
  options: PathOptions = {},
): AttributionRow[] {
  if (model !== 'first_touch' && model !== 'last_touch' && model !== 'linear') {
    throw new AttributionInputError(`unknown heuristic model '${String(model)}'`);
  }
  const set = preparePaths(paths, options);
  const conversions = new Array<number>(set.channels.length).fill(0);
  const values = new Array<number>(set.channels.length).fill(0);
  for (const p of set.paths) {
    if (p.conversions === 0) continue;
    if (model === 'linear') {
      const k = p.channels.length;
      for (const c of p.channels) {
        conversions[c] += p.conversions / k;
        values[c] += p.value / k;
      }
    } else {
      const c = model === 'first_touch' ? p.channels[0] : p.channels[p.channels.length - 1];
      conversions[c] += p.conversions;
      values[c] += p.value;
    }
  }
  return creditRows(set.channels, conversions, values);
}
