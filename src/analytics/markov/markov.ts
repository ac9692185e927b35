/**
 * Markov-chain attribution: the composition of path preparation, transition estimation, the exact
 * absorption solve and removal effects into the result a report or API needs.
 *
 * A useful sanity fact for readers of the output: the maximum-likelihood chain conserves the observed
 * flow through every channel (each visit enters and leaves once), so with the full chain
 * conversionProbability equals the observed rate conversions / (conversions + nulls). The model's
 * information is in the removal effects, not in that number. Likewise collapsing repeats only removes
 * self-loops, which change neither where walks are absorbed nor which channels they visit, so it alters
 * the listed transitions but not the removal effects or the attribution.
 */

import { AttributionPath, PathOptions, preparePaths } from './paths';
import { removalEffects } from './removal';
import { AttributionRow, proportionalRows } from './rows';
import { buildChain, listTransitions, Transition } from './transitions';

export interface MarkovResult {
  /** P(a journey starting at (start) ends in (conversion)), solved exactly. */
  conversionProbability: number;
  /** 1 - P(conversion | channel removed) / P(conversion), per channel. */
  removalEffects: Record<string, number>;
  /**
   * Total conversions (and value) split over channels in proportion to their removal effects,
   * sorted by channel name.
   */
  attributed: AttributionRow[];
  /** Estimated non-zero transition probabilities, including (start), (conversion) and (null). */
  transitions: Transition[];
}

export function markovAttribution(
  paths: readonly AttributionPath[],
  options: PathOptions = {},
): MarkovResult {
  const set = preparePaths(paths, options);
  const chain = buildChain(set);
  const removal = removalEffects(chain);
  const effects: Record<string, number> = {};
  set.channels.forEach((c, i) => (effects[c] = removal.effects[i]));
  return {
    conversionProbability: removal.conversionProbability,
    removalEffects: effects,
    attributed: proportionalRows(set.channels, removal.effects, set.totalConversions, set.totalValue),
    transitions: listTransitions(chain),
  };
}
