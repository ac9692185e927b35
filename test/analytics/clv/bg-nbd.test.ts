/**
 * BG/NBD against the published CDNOW results (Fader, Hardie & Lee 2005, §4: the estimates and
 * log-likelihood; the 1.226 prediction for customer ID 1 as listed in ../shared/data/README.md),
 * plus the model's own properties.
 */
import {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesUnconditional,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  bgNbdStandardErrors,
  fitBgNbd,
  type BgNbdFit,
} from '../../../src/analytics/clv';
import { loadCdnowSummary } from './cdnow';

const customers = loadCdnowSummary();
let fit: BgNbdFit;

beforeAll(() => {
  fit = fitBgNbd(customers);
});

const within = (actual: number, expected: number, relative: number) =>
  expect(Math.abs(actual / expected - 1)).toBeLessThanOrEqual(relative);

describe('BG/NBD on CDNOW (2,357 customers, weeks)', () => {
  it('reproduces the published estimates within 1% and the log-likelihood', () => {
    expect(customers).toHaveLength(2357);
    expect(fit.converged).toBe(true);
    within(fit.r, 0.243, 0.01);
    within(fit.alpha, 4.414, 0.01);
    within(fit.a, 0.793, 0.01);
    within(fit.b, 2.426, 0.01);
    // Published to one decimal: -9582.4.
    expect(Math.abs(fit.logLikelihood - -9582.4)).toBeLessThan(0.05);
    expect(fit.logLikelihood).toBeCloseTo(bgNbdLogLikelihood(fit, customers), 9);
  });

  it('predicts 1.226 purchases in the next 39 weeks for customer ID 1 (x=2, t_x=30.43, T=38.86)', () => {
    within(bgNbdExpectedPurchases(fit, 39, 2, 30.43, 38.86), 1.226, 0.005);
  });

  it('gives finite standard errors at the optimum', () => {
    const se = bgNbdStandardErrors(fit, customers)!;
    expect(se).toBeDefined();
    // Sanity only (no published oracle): each well below its estimate.
    for (const key of ['r', 'alpha', 'a', 'b'] as const) expect(se[key]).toBeLessThan(fit[key] / 2);
  });

  it('is deterministic: refitting gives bit-identical results', () => {
    expect(fitBgNbd(customers)).toEqual(fit);
  });

  it('the likelihood at the optimum is at least that at nearby points', () => {
    const keys = ['r', 'alpha', 'a', 'b'] as const;
    for (const key of keys) {
      for (const factor of [0.99, 0.999, 1.001, 1.01]) {
        expect(bgNbdLogLikelihood({ ...fit, [key]: fit[key] * factor }, customers)).toBeLessThanOrEqual(
          fit.logLikelihood,
        );
      }
    }
    // And along a diagonal, where correlated parameters could hide a better point.
    for (const factor of [0.995, 1.005]) {
      const moved = { r: fit.r * factor, alpha: fit.alpha * factor, a: fit.a / factor, b: fit.b / factor };
      expect(bgNbdLogLikelihood(moved, customers)).toBeLessThanOrEqual(fit.logLikelihood);
    }
  });
});

describe('BG/NBD properties', () => {
  it('P(alive) lies in [0, 1] and is 1 for customers without repeat purchases', () => {
    const alive = customers.map(({ x, tx, T }) => bgNbdProbabilityAlive(fit, x, tx, T));
    expect(Math.min(...alive)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...alive)).toBeLessThanOrEqual(1);
    expect(customers.filter((c, i) => c.x === 0 && alive[i] !== 1)).toEqual([]);
    expect(customers.filter((c, i) => c.x > 0 && alive[i] === 1)).toEqual([]);
  });

  it('P(alive) falls the longer a customer has been silent', () => {
    let previous = 1;
    for (const T of [31, 35, 40, 60, 100]) {
      const p = bgNbdProbabilityAlive(fit, 5, 30, T);
      expect(p).toBeLessThan(previous);
      previous = p;
    }
  });

  it('E[X(t) | history] and E[X(t)] are 0 at t = 0 and increase in t', () => {
    const sample = customers.filter((_, i) => i % 97 === 0);
    for (const { x, tx, T } of sample) {
      let previous = bgNbdExpectedPurchases(fit, 0, x, tx, T);
      expect(previous).toBe(0);
      for (const t of [1, 5, 13, 26, 39, 52, 104, 260]) {
        const e = bgNbdExpectedPurchases(fit, t, x, tx, T);
        expect(e).toBeGreaterThan(previous);
        previous = e;
      }
    }
    let previous = bgNbdExpectedPurchasesUnconditional(fit, 0);
    for (const t of [1, 10, 39, 78, 520]) {
      const e = bgNbdExpectedPurchasesUnconditional(fit, t);
      expect(e).toBeGreaterThan(previous);
      previous = e;
    }
  });

  it('E[X(t)] over the calibration period matches the observed repeat purchases in total', () => {
    // Σ E[X(T_i)] against Σ x_i (2,457 repeat purchases in the data; the fit expects 2,494).
    // Maximum likelihood does not force equality, but a fitted model should be close in aggregate.
    // Customers share few distinct T values (cohorts by first-purchase day), so evaluate each once.
    const byT = new Map<number, number>();
    for (const { T } of customers) byT.set(T, (byT.get(T) ?? 0) + 1);
    let expected = 0;
    for (const [T, count] of byT) expected += count * bgNbdExpectedPurchasesUnconditional(fit, T);
    const observed = customers.reduce((s, c) => s + c.x, 0);
    within(expected, observed, 0.02);
  });

  it('is continuous through a = 1, where the closed form is 0/0', () => {
    const at = (a: number) => bgNbdExpectedPurchases({ ...fit, a }, 39, 2, 30.43, 38.86);
    expect(Number.isFinite(at(1))).toBe(true);
    expect(Math.abs(at(1) - (at(1 - 1e-4) + at(1 + 1e-4)) / 2)).toBeLessThan(1e-6);
  });

  it('rejects impossible histories and parameters', () => {
    expect(() => bgNbdExpectedPurchases(fit, 10, 1, 5, 4)).toThrow(RangeError);
    expect(() => bgNbdProbabilityAlive(fit, 1.5, 1, 4)).toThrow(RangeError);
    expect(() => bgNbdProbabilityAlive({ ...fit, b: 0 }, 1, 1, 4)).toThrow(RangeError);
    expect(() => fitBgNbd([])).toThrow(RangeError);
  });
});
