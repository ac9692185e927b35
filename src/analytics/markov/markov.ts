/**
 * Markov-chain attribution: the composition of path preparation, transition estimation, the exact
 * absorption solve and removal effects into the result a report or API needs.
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
