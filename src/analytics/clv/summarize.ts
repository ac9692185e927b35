/**
 * Turns raw transactions into the per-customer summary the BG/NBD and Gamma-Gamma models take:
 * (x, t_x, T) and zbar over a calibration period, in days or weeks.
 *
 * The convention is the one behind the CDNOW summaries Fader, Hardie & Lee (2005, §4) fit and
 * that lifetimes and dbt CLV packages reproduce: time starts at each customer's first purchase;
 * purchases on the same calendar day are one purchase (their values added); x counts the purchase
 * days after the first; t_x is the time from the first purchase day to the last one; T is the time
 * from the first purchase day to the calibration end (inclusive, so a purchase dated on the
 * calibration end counts); zbar is the mean value of the repeat purchase days (the first purchase
 * is excluded, as the Gamma-Gamma note does, because acquisition spend often differs).
 * Dates are calendar days; a `Date` is read by its UTC calendar day, so no time zone shifts a day.
 */

export type TimeUnit = 'days' | 'weeks';

/** Days in one time unit. */
export const DAYS_PER_UNIT: Record<TimeUnit, number> = { days: 1, weeks: 7 };

export interface Transaction {
  customerId: string;
  /** `YYYY-MM-DD`, `YYYYMMDD`, or a Date (its UTC calendar day). */
  date: string | Date;
  value: number;
}

export interface SummarizeOptions {
  /** Last day of the calibration period (inclusive). */
  calibrationEnd: string | Date;
  unit: TimeUnit;
}

export interface CustomerSummary {
  customerId: string;
  /** First purchase day, `YYYY-MM-DD`. */
  firstPurchase: string;
  x: number;
  tx: number;
  T: number;
  /** Mean value of repeat purchase days; 0 when x = 0. */
  zbar: number;
}

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a calendar date. */
export function dayNumber(date: string | Date): number {
  if (date instanceof Date) {
    if (Number.isNaN(date.getTime())) throw new RangeError('invalid Date');
    return Math.floor(date.getTime() / MS_PER_DAY);
  }
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(date.trim());
  if (!match) throw new RangeError(`date must be YYYY-MM-DD or YYYYMMDD, got '${date}'`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2021-02-30 over to March; refuse such dates instead.
  if (new Date(ms).getUTCDate() !== day || new Date(ms).getUTCMonth() !== month - 1) {
    throw new RangeError(`no such date '${date}'`);
  }
  return ms / MS_PER_DAY;
}

const isoDay = (day: number) => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);

/**
 * One summary per customer with a purchase on or before the calibration end, in the order the
 * customers first appear in `transactions`. Later transactions are ignored.
 */
export function summarizeTransactions(
  transactions: readonly Transaction[],
  options: SummarizeOptions,
): CustomerSummary[] {
  const end = dayNumber(options.calibrationEnd);
  const daysPerUnit = DAYS_PER_UNIT[options.unit];
  if (daysPerUnit === undefined) throw new RangeError(`unknown time unit '${options.unit}'`);
  // customer → (day → value spent that day); Maps keep insertion order, which fixes output order.
  const byCustomer = new Map<string, Map<number, number>>();
  for (const { customerId, date, value } of transactions) {
    if (!Number.isFinite(value)) throw new RangeError(`customer ${customerId}: value ${value} is not finite`);
    const day = dayNumber(date);
    if (day > end) continue;
    let days = byCustomer.get(customerId);
    if (!days) byCustomer.set(customerId, (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + value);
  }
  const summaries: CustomerSummary[] = [];
  for (const [customerId, days] of byCustomer) {
    const ordered = [...days.keys()].sort((p, q) => p - q);
    const first = ordered[0];
    const last = ordered[ordered.length - 1];
    const repeats = ordered.slice(1);
    const repeatTotal = repeats.reduce((sum, day) => sum + (days.get(day) ?? 0), 0);
    summaries.push({
      customerId,
      firstPurchase: isoDay(first),
      x: repeats.length,
      tx: (last - first) / daysPerUnit,
      T: (end - first) / daysPerUnit,
      zbar: repeats.length > 0 ? repeatTotal / repeats.length : 0,
    });
  }
  return summaries;
}
