/**
 * The distributions the generator samples, written out (no dependency) so that a seed gives the
 * same numbers on every machine: exponential, normal, gamma (Marsaglia-Tsang), beta, Poisson and
 * weighted choice. Every sampler consumes a deterministic number of draws for a given outcome path.
 */
import type { Rng } from './prng';

export function uniform(rng: Rng, low: number, high: number): number {
  return low + (high - low) * rng.next();
}

/** Exponential with the given mean (the waiting time of a Poisson process with rate 1/mean). */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(rng.next());
}

/** Standard normal by Box-Muller (one of the pair, so each call consumes exactly two draws). */
export function normal(rng: Rng): number {
  const u = rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Gamma with `shape` and `scale` (mean shape * scale) by Marsaglia and Tsang (2000). For shape < 1
 * it samples shape + 1 and multiplies by U^(1/shape), the standard boost.
 */
export function gamma(rng: Rng, shape: number, scale: number): number {
  if (shape < 1) return gamma(rng, shape + 1, scale) * Math.pow(rng.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function beta(rng: Rng, a: number, b: number): number {
  const x = gamma(rng, a, 1);
  const y = gamma(rng, b, 1);
  return x / (x + y);
}

/** Poisson with a small mean (Knuth's product of uniforms; the generator's means are below 10). */
export function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let product = rng.next();
  while (product > limit) {
    k++;
    product *= rng.next();
  }
  return k;
}

/** Cumulative weights, normalised, for `choose`. */
export function cumulative(weights: ArrayLike<number>): Float64Array {
  const n = weights.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];
  const out = new Float64Array(n);
  let running = 0;
  for (let i = 0; i < n; i++) {
    running += weights[i] / total;
    out[i] = running;
  }
  out[n - 1] = 1;
  return out;
}

/** An index drawn with the probabilities of `cum` (from `cumulative`). */
export function choose(rng: Rng, cum: Float64Array): number {
  const u = rng.next();
  let i = 0;
  while (u > cum[i]) i++;
  return i;
}
