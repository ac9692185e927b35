/**
 * Removal effects: how much of the conversion probability depends on each channel.
 *
 * Removing channel c means every transition into c goes to (null) instead: a journey that would have
 * touched c is lost. P(conversion | c removed) is then exactly the probability of converting without
 * ever visiting c, so the removal effect 1 - P(conv | c removed) / P(conv) equals
 * P(visit c | conversion). That reading is what makes it a number in [0, 1] (we clamp only the
 * last-bit rounding of the solve) and gives the tests their properties: a channel on no converting
 * path scores 0, a channel every converting walk passes through scores 1.
 */

import { absorptionProbabilities } from './absorb';
import { conversionIndex, MarkovChain, nullIndex, START } from './transitions';

export interface RemovalResult {
  /** P(conversion) from (start) in the full chain. */
  conversionProbability: number;
  /** P(conversion) from (start) with channel i (0-based channel index) removed. */
  withoutChannel: number[];
  /** Removal effect per channel index. */
  effects: number[];
}

function transientStates(chain: MarkovChain): number[] {
  return Array.from({ length: chain.channelCount + 1 }, (_, i) => i);
}

/** P(absorption in (conversion) | start), solved exactly. */
export function conversionProbability(chain: MarkovChain): number {
  return absorptionProbabilities(chain.probabilities, transientStates(chain), conversionIndex(chain))[START];
}

/** A copy of the chain where every transition into `state` is redirected to (null). */
export function withStateRemoved(chain: MarkovChain, state: number): MarkovChain {
  const nul = nullIndex(chain);
  const probabilities = chain.probabilities.map((row) => {
    const copy = [...row];
    if (copy[state] > 0) {
      copy[nul] += copy[state];
      copy[state] = 0;
    }
    return copy;
  });
  return { ...chain, probabilities };
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

export function removalEffects(chain: MarkovChain): RemovalResult {
  const base = conversionProbability(chain);
  const withoutChannel: number[] = [];
  const effects: number[] = [];
  for (let c = 0; c < chain.channelCount; c++) {
    const without = conversionProbability(withStateRemoved(chain, c + 1));
    withoutChannel.push(without);
    // With no conversions at all nothing depends on any channel; 0 rather than 0/0.
    effects.push(base > 0 ? clamp01(1 - without / base) : 0);
  }
  return { conversionProbability: base, withoutChannel, effects };
}
