/**
 * Customer lifetime value from the two models: expected purchases (BG/NBD) times expected spend
 * per purchase (Gamma-Gamma), discounted month by month. Multiplying the two is valid because the
 * Gamma-Gamma model assumes spend is independent of the purchase process (Fader & Hardie 2013);
 * the same product of discounted expected transactions and expected spend is how Fader, Hardie &
 * Lee value customers in "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis" (J.
 * Marketing Research 42(4), 2005), there in continuous time.
 *
 * The formula, with H = horizonMonths, u = model time units per month, d = discountRate (annual):
 *   d_m = (1 + d)^(1/12) − 1                        (the monthly rate compounding to d a year)
 *   CLV = E[M | x, zbar] · Σ_{m=1..H} (E[Y(m·u) | x, t_x, T] − E[Y((m−1)·u) | x, t_x, T]) / (1 + d_m)^m
 * i.e. the purchases expected during month m are valued at the end of month m. The difference of
 * the cumulative expectation (FHL 2005 eq. 10) is the expected count within the month.
 */
import { bgNbdExpectedPurchases, type BgNbdParams } from './bg-nbd';
import { gammaGammaExpectedSpend, type GammaGammaParams } from './gamma-gamma';
import { DAYS_PER_UNIT, type TimeUnit } from './summarize';

/** Mean days per month over the Gregorian 400-year cycle (365.2425 / 12 ≈ 30.44). */
export const DAYS_PER_MONTH = 365.2425 / 12;

export interface ClvCustomer {
  x: number;
  tx: number;
  T: number;
  zbar: number;
}

export interface ClvOptions {
  /** Whole months to project. */
  horizonMonths: number;
  /** Annual discount rate, e.g. 0.1 for 10 % a year. */
  discountRate: number;
  /** The time unit the BG/NBD model was fitted in. */
  unit: TimeUnit;
}

/** The monthly rate equivalent to an annual rate under monthly compounding. */
export function monthlyDiscountRate(annualRate: number): number {
  if (!(annualRate > -1)) throw new RangeError(`discount rate must be > -1, got ${annualRate}`);
  return Math.pow(1 + annualRate, 1 / 12) - 1;
}

/** The discounted expected number of purchases over the horizon (the CLV before spend). */
export function discountedExpectedPurchases(
  bgNbd: BgNbdParams,
  customer: Omit<ClvCustomer, 'zbar'>,
  options: ClvOptions,
): number {
  const { horizonMonths, discountRate, unit } = options;
  if (!(Number.isInteger(horizonMonths) && horizonMonths >= 0)) {
    throw new RangeError(`horizonMonths must be a non-negative integer, got ${horizonMonths}`);
  }
  const unitsPerMonth = DAYS_PER_MONTH / DAYS_PER_UNIT[unit];
  const monthly = monthlyDiscountRate(discountRate);
  const { x, tx, T } = customer;
  let total = 0;
  let previous = 0;
  for (let m = 1; m <= horizonMonths; m++) {
    const cumulative = bgNbdExpectedPurchases(bgNbd, m * unitsPerMonth, x, tx, T);
    total += (cumulative - previous) / Math.pow(1 + monthly, m);
    previous = cumulative;
  }
  return total;
}

/** Expected discounted value of a customer's purchases over the next `horizonMonths` months. */
export function expectedClv(
  bgNbd: BgNbdParams,
  gammaGamma: GammaGammaParams,
  customer: ClvCustomer,
  options: ClvOptions,
): number {
  const spend = gammaGammaExpectedSpend(gammaGamma, customer.x, customer.zbar);
  return spend * discountedExpectedPurchases(bgNbd, customer, options);
}
