/**
 * "Simplified" Shapley-value attribution, the coalition game commonly used in marketing attribution.
 *
 * Definition: the players are the channels; the worth v(S) of a coalition S is the number of
 * conversions (resp. the conversion value) of the paths whose SET of channels is a subset of S —
 * what S could have converted on its own. Order, repeats and non-converting journeys play no part.
 * A channel's attribution is its Shapley value
 *   phi(c) = sum over S not containing c of |S|! (n - |S| - 1)! / n! * (v(S + c) - v(S)).
 *
 * Because v is a sum of unanimity games (each path's conversions belong to exactly the coalitions
 * containing its channel set T), phi(c) equals the sum over paths containing c of conversions / |T|:
 * every distinct channel on a converting path gets an equal share. The tests check the coalition sum
 * below against that closed form; the coalition sum is kept as the implementation because it is the
 * definition users will look up. Exponential in n, so limited to 12 channels (4,096 coalitions).
 */

import { AttributionInputError, AttributionPath, preparePaths } from './paths';
import { AttributionRow, creditRows } from './rows';

export const MAX_SHAPLEY_CHANNELS = 12;

/** v over all 2^n coalitions (as bit masks): the subset-sum (zeta) transform of per-set totals. */
function coalitionWorth(exact: Float64Array, n: number): Float64Array {
  const v = Float64Array.from(exact);
  for (let bit = 0; bit < n; bit++) {
    for (let mask = 0; mask < 1 << n; mask++) if (mask & (1 << bit)) v[mask] += v[mask ^ (1 << bit)];
  }
  return v;
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}

function shapleyValues(v: Float64Array, n: number): number[] {
  // weight[s] = s! (n - s - 1)! / n!, exact in doubles for n <= 12 (12! < 2^53).
  const fact = [1];
  for (let i = 1; i <= n; i++) fact.push(fact[i - 1] * i);
  const weight = Array.from({ length: n }, (_, s) => (fact[s] * fact[n - s - 1]) / fact[n]);
  const phi = new Array<number>(n).fill(0);
  for (let c = 0; c < n; c++) {
    const bit = 1 << c;
    for (let mask = 0; mask < 1 << n; mask++) {
      if (mask & bit) continue;
      phi[c] += weight[popcount(mask)] * (v[mask | bit] - v[mask]);
    }
  }
  return phi;
}

export function shapleyAttribution(paths: readonly AttributionPath[]): AttributionRow[] {
  const set = preparePaths(paths, { collapseRepeats: true });
  const n = set.channels.length;
  if (n > MAX_SHAPLEY_CHANNELS) {
    throw new AttributionInputError(
      `shapleyAttribution: ${n} channels, at most ${MAX_SHAPLEY_CHANNELS} supported (2^n coalitions)`,
    );
  }
  const conv = new Float64Array(1 << n);
  const val = new Float64Array(1 << n);
  for (const p of set.paths) {
    let mask = 0;
    for (const c of p.channels) mask |= 1 << c;
    conv[mask] += p.conversions;
    val[mask] += p.value;
  }
  return creditRows(
    set.channels,
    shapleyValues(coalitionWorth(conv, n), n),
    shapleyValues(coalitionWorth(val, n), n),
  );
}
