/** Discounted CLV: the documented formula's identities and bounds, on the CDNOW fits. */
import {
  DAYS_PER_MONTH,
  bgNbdExpectedPurchases,
  discountedExpectedPurchases,
  expectedClv,
  fitBgNbd,
  fitGammaGamma,
  gammaGammaExpectedSpend,
  monthlyDiscountRate,
  type BgNbdFit,
  type GammaGammaFit,
} from '../../../src/analytics/clv';
import { loadCdnowWithSpend } from './cdnow';

const customers = loadCdnowWithSpend();
let bg: BgNbdFit;
let gg: GammaGammaFit;

beforeAll(() => {
  bg = fitBgNbd(customers);
  gg = fitGammaGamma(customers);
});

const customer1 = { x: 2, tx: 30.43, T: 38.86, zbar: 22.35 };
const weeksPerMonth = DAYS_PER_MONTH / 7;

describe('expectedClv', () => {
  it('compounds the monthly rate to the annual one', () => {
    expect(Math.pow(1 + monthlyDiscountRate(0.1), 12)).toBeCloseTo(1.1, 14);
    expect(monthlyDiscountRate(0)).toBe(0);
    expect(() => monthlyDiscountRate(-1)).toThrow(RangeError);
  });

  it('without discounting is expected spend × expected purchases over the horizon', () => {
    const clv = expectedClv(bg, gg, customer1, { horizonMonths: 12, discountRate: 0, unit: 'weeks' });
    const purchases = bgNbdExpectedPurchases(bg, 12 * weeksPerMonth, 2, 30.43, 38.86);
    expect(clv).toBeCloseTo(gammaGammaExpectedSpend(gg, 2, 22.35) * purchases, 10);
  });

  it('discounting lowers the value, by at most the last month’s factor', () => {
    const options = { horizonMonths: 24, unit: 'weeks' } as const;
    const undiscounted = discountedExpectedPurchases(bg, customer1, { ...options, discountRate: 0 });
    const discounted = discountedExpectedPurchases(bg, customer1, { ...options, discountRate: 0.1 });
    expect(discounted).toBeLessThan(undiscounted);
    expect(discounted).toBeGreaterThan(undiscounted / Math.pow(1.1, 2));
  });

  it('grows with the horizon and is 0 for a horizon of 0', () => {
    const at = (horizonMonths: number) =>
      expectedClv(bg, gg, customer1, { horizonMonths, discountRate: 0.1, unit: 'weeks' });
    expect(at(0)).toBe(0);
    let previous = 0;
    for (const months of [1, 3, 12, 36, 120]) {
      expect(at(months)).toBeGreaterThan(previous);
      previous = at(months);
    }
  });

  it('values a customer without repeat purchases at the population mean spend', () => {
    const newcomer = { x: 0, tx: 0, T: 38.86, zbar: 0 };
    const options = { horizonMonths: 12, discountRate: 0.1, unit: 'weeks' } as const;
    expect(expectedClv(bg, gg, newcomer, options)).toBeCloseTo(
      ((gg.p * gg.gamma) / (gg.q - 1)) * discountedExpectedPurchases(bg, newcomer, options),
      10,
    );
  });

  it('converts months with the fit’s unit: a day-fitted model gives the same value', () => {
    // The same model in days: alpha scales with the time unit, r, a, b do not.
    const inDays = { ...bg, alpha: bg.alpha * 7 };
    const dayCustomer = { ...customer1, tx: customer1.tx * 7, T: customer1.T * 7 };
    const weeks = expectedClv(bg, gg, customer1, { horizonMonths: 12, discountRate: 0.1, unit: 'weeks' });
    const days = expectedClv(inDays, gg, dayCustomer, { horizonMonths: 12, discountRate: 0.1, unit: 'days' });
    expect(days).toBeCloseTo(weeks, 9);
  });

  it('rejects fractional horizons', () => {
    expect(() =>
      expectedClv(bg, gg, customer1, { horizonMonths: 1.5, discountRate: 0.1, unit: 'weeks' }),
    ).toThrow(RangeError);
  });
});
