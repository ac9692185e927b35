/**
 * The transaction summary against the CDNOW summary files: summarizing the raw transactions over
 * the 39-week calibration period (first purchases 1997-01-01..03-31, calibration end 1997-09-30
 * inclusive, weeks = days / 7, same-day purchases merged) reproduces every customer's x, t_x, T
 * and zbar to the files' two decimals.
 */
import { summarizeTransactions, type CustomerSummary } from '../../../src/analytics/clv';
import { loadCdnowSummary, loadCdnowTransactions, loadCdnowWithSpend } from './cdnow';

const HALF_CENT = 0.005 + 1e-9;

describe('summarizeTransactions on CDNOW_sample.txt', () => {
  const transactions = loadCdnowTransactions();
  const summaries = summarizeTransactions(transactions, { calibrationEnd: '1997-09-30', unit: 'weeks' });
  const byId = new Map<string, CustomerSummary>(summaries.map((s) => [s.customerId, s]));

  it('reproduces frequency, recency and T of cdnow_customers_summary.csv for every customer', () => {
    const reference = loadCdnowSummary();
    expect(summaries).toHaveLength(reference.length);
    const mismatches = reference.filter(({ id, x, tx, T }) => {
      const s = byId.get(id);
      return !s || s.x !== x || Math.abs(s.tx - tx) > HALF_CENT || Math.abs(s.T - T) > HALF_CENT;
    });
    expect(mismatches).toEqual([]);
  });

  it('reproduces zbar of cdnow_customers_summary_with_transactions.csv (repeat days only)', () => {
    const mismatches = loadCdnowWithSpend().filter(({ id, x, zbar }) => {
      const s = byId.get(id)!;
      return s.x !== x || Math.abs(s.zbar - zbar) > HALF_CENT;
    });
    expect(mismatches).toEqual([]);
  });

  it('needs the same-day merge: 80 CDNOW customers have several transactions on one day', () => {
    const perCustomerDay = new Map<string, number>();
    for (const { customerId, date } of transactions) {
      if (date > '19970930') continue;
      const key = `${customerId} ${date}`;
      perCustomerDay.set(key, (perCustomerDay.get(key) ?? 0) + 1);
    }
    const customersWithRepeatsInADay = new Set(
      [...perCustomerDay].filter(([, n]) => n > 1).map(([key]) => key.split(' ')[0]),
    );
    expect(customersWithRepeatsInADay.size).toBe(80);
  });

  it('customer ID 1 is the paper example: x = 2, t_x = 30.43, T = 38.86', () => {
    const s = byId.get('1')!;
    expect(s).toMatchObject({ customerId: '1', firstPurchase: '1997-01-01', x: 2 });
    expect(s.tx).toBeCloseTo(213 / 7, 12);
    expect(s.T).toBeCloseTo(272 / 7, 12);
    expect(s.zbar).toBeCloseTo((29.73 + 14.96) / 2, 12);
  });
});

describe('summarizeTransactions conventions', () => {
  const transactions = [
    { customerId: 'a', date: '2024-01-01', value: 10 },
    { customerId: 'b', date: '20240105', value: 7 },
    { customerId: 'a', date: '2024-01-01', value: 5 }, // same day as the first: merged into it
    { customerId: 'a', date: new Date(Date.UTC(2024, 0, 8, 23, 59)), value: 20 },
    { customerId: 'a', date: '2024-01-08', value: 4 }, // same day: one repeat purchase worth 24
    { customerId: 'a', date: '2024-01-15', value: 30 }, // the calibration end counts
    { customerId: 'a', date: '2024-01-16', value: 99 }, // after it: ignored
    { customerId: 'c', date: '2024-02-01', value: 1 }, // first purchase after the end: no summary
  ];

  it('merges same-day purchases, counts repeat days, and measures time from the first day', () => {
    const [a, b, ...rest] = summarizeTransactions(transactions, {
      calibrationEnd: '2024-01-15',
      unit: 'days',
    });
    expect(rest).toEqual([]);
    expect(a).toEqual({ customerId: 'a', firstPurchase: '2024-01-01', x: 2, tx: 14, T: 14, zbar: 27 });
    expect(b).toEqual({ customerId: 'b', firstPurchase: '2024-01-05', x: 0, tx: 0, T: 10, zbar: 0 });
  });

  it('expresses times in weeks as days / 7', () => {
    const [a] = summarizeTransactions(transactions, { calibrationEnd: '2024-01-15', unit: 'weeks' });
    expect(a.tx).toBe(2);
    expect(a.T).toBe(2);
  });

  it('refuses malformed dates and values', () => {
    const end = { calibrationEnd: '2024-01-15', unit: 'days' } as const;
    expect(() => summarizeTransactions([{ customerId: 'a', date: '2024-02-30', value: 1 }], end)).toThrow(
      RangeError,
    );
    expect(() => summarizeTransactions([{ customerId: 'a', date: '1/2/2024', value: 1 }], end)).toThrow(
      RangeError,
    );
    expect(() => summarizeTransactions([{ customerId: 'a', date: '2024-01-02', value: NaN }], end)).toThrow(
      RangeError,
    );
  });
});
