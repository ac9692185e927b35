/** Gamma-Gamma against the published CDNOW estimates (Fader & Hardie 2013), plus properties. */
import {
  fitGammaGamma,
  gammaGammaExpectedSpend,
  gammaGammaLogLikelihood,
  type GammaGammaFit,
} from '../../../src/analytics/clv';
import { loadCdnowWithSpend } from './cdnow';

const customers = loadCdnowWithSpend();
let fit: GammaGammaFit;

beforeAll(() => {
  fit = fitGammaGamma(customers);
});

const within = (actual: number, expected: number, relative: number) =>
  expect(Math.abs(actual / expected - 1)).toBeLessThanOrEqual(relative);

describe('Gamma-Gamma on CDNOW', () => {
  it('fits the 946 customers with repeat purchases and reproduces p, q, gamma within 1%', () => {
    expect(fit.customers).toBe(946);
    expect(fit.converged).toBe(true);
    within(fit.p, 6.25, 0.01);
    within(fit.q, 3.74, 0.01);
    within(fit.gamma, 15.44, 0.01);
  });

  it('gives a customer with x = 0 the population mean p·gamma/(q−1)', () => {
    expect(gammaGammaExpectedSpend(fit, 0, 0)).toBe((fit.p * fit.gamma) / (fit.q - 1));
    within(gammaGammaExpectedSpend(fit, 0, 0), (6.25 * 15.44) / 2.74, 0.01);
  });

  it('shrinks zbar toward the population mean, less so the more transactions', () => {
    const population = gammaGammaExpectedSpend(fit, 0, 0);
    const zbar = 100;
    let previous = population;
    for (const x of [1, 2, 5, 20, 100]) {
      const spend = gammaGammaExpectedSpend(fit, x, zbar);
      // The note's weighted-average form: weight p·x/(p·x+q−1) on zbar.
      const weight = (fit.p * x) / (fit.p * x + fit.q - 1);
      expect(spend).toBeCloseTo((1 - weight) * population + weight * zbar, 10);
      expect(spend).toBeGreaterThan(previous);
      expect(spend).toBeLessThan(zbar);
      previous = spend;
    }
  });

  it('the likelihood at the optimum is at least that at nearby points', () => {
    for (const key of ['p', 'q', 'gamma'] as const) {
      for (const factor of [0.99, 0.999, 1.001, 1.01]) {
        expect(gammaGammaLogLikelihood({ ...fit, [key]: fit[key] * factor }, customers)).toBeLessThanOrEqual(
          fit.logLikelihood,
        );
      }
    }
  });

  it('is deterministic', () => {
    expect(fitGammaGamma(customers)).toEqual(fit);
  });

  it('rejects parameters without a finite mean and customers without spend', () => {
    expect(() => gammaGammaExpectedSpend({ p: 1, q: 1, gamma: 1 }, 0, 0)).toThrow(RangeError);
    expect(() => fitGammaGamma([{ x: 2, zbar: 0 }])).toThrow(RangeError);
    expect(() => fitGammaGamma([{ x: 0, zbar: 0 }])).toThrow(RangeError);
  });
});
