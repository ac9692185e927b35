/**
 * Data-driven multi-touch attribution over aggregated customer-journey paths: first-order Markov
 * chains with removal effects (exact), rule-based comparison models and simplified Shapley values.
 */

export { markovAttribution } from './markov';
export type { MarkovResult } from './markov';
export { heuristicAttribution } from './heuristic';
export type { HeuristicModel } from './heuristic';
export { shapleyAttribution, MAX_SHAPLEY_CHANNELS } from './shapley';
export { AttributionInputError, collapseRepeats, CONVERSION_STATE, NULL_STATE, START_STATE } from './paths';
export type { AttributionPath, PathOptions } from './paths';
export type { AttributionRow } from './rows';
export type { Transition } from './transitions';
export { solveLinearSystem, absorptionProbabilities } from './absorb';
