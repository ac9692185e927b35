/**
 * Seeded simulation of BG/NBD customers and Gamma-Gamma spend for the parameter-recovery tests.
 * Kept in the tests: production code never needs random numbers, and a fixed seed makes the
 * synthetic data (and so the test) identical on every run and machine.
 */
import type { BgNbdParams, GammaGammaParams } from '../../../src/analytics/clv';

/** mulberry32: a 32-bit state generator, plenty for a few hundred thousand draws. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), boosted by U^(1/shape) for shape < 1. */
export function gammaVariate(random: () => number, shape: number, rate: number): number {
  if (shape < 1) return gammaVariate(random, shape + 1, rate) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(random);
    const v = Math.pow(1 + c * z, 3);
    if (v <= 0) continue;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

export function betaVariate(random: () => number, a: number, b: number): number {
  const x = gammaVariate(random, a, 1);
  return x / (x + gammaVariate(random, b, 1));
}

export interface SimulatedCustomer {
  x: number;
  tx: number;
  T: number;
  zbar: number;
  /** Whether the customer had not dropped out by T (unobservable in real data). */
  aliveAtT: boolean;
  /** Repeat purchases in (T, T + holdout], the quantity E[Y(t) | x, t_x, T] predicts. */
  holdoutPurchases: number;
}

/**
 * Customers following the BG/NBD story exactly (FHL 2005 §2): λ ~ Gamma(r, α), p ~ Beta(a, b);
 * exponential gaps between purchases; after each repeat purchase the customer leaves with
 * probability p. Spend per repeat purchase is Gamma(p_gg, ν) with ν ~ Gamma(q, γ). The process
 * runs on past T for `holdout` more periods so predictions can be checked against it.
 */
export function simulateCustomers(
  count: number,
  bgNbd: BgNbdParams,
  gammaGamma: GammaGammaParams,
  observedFor: (random: () => number) => number,
  holdout: number,
  seed: number,
): SimulatedCustomer[] {
  const random = seededRandom(seed);
  const customers: SimulatedCustomer[] = [];
  for (let i = 0; i < count; i++) {
    const T = observedFor(random);
    const lambda = gammaVariate(random, bgNbd.r, bgNbd.alpha);
    const dropout = betaVariate(random, bgNbd.a, bgNbd.b);
    const nu = gammaVariate(random, gammaGamma.q, gammaGamma.gamma);
    let time = 0;
    let x = 0;
    let tx = 0;
    let spend = 0;
    let holdoutPurchases = 0;
    let alive = true;
    for (;;) {
      time += -Math.log(1 - random()) / lambda;
      if (time > T + holdout) break;
      if (time > T) {
        holdoutPurchases += 1;
      } else {
        x += 1;
        tx = time;
        spend += gammaVariate(random, gammaGamma.p, nu);
      }
      if (random() < dropout) {
        alive = false;
        break;
      }
    }
    // Dropping out after a holdout purchase still means the customer was alive at T.
    const aliveAtT = alive || holdoutPurchases > 0;
    customers.push({ x, tx, T, zbar: x > 0 ? spend / x : 0, aliveAtT, holdoutPurchases });
  }
  return customers;
}
