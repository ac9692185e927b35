/**
 * The generator draws repeat purchases from BG/NBD and spend from Gamma-Gamma with known
 * parameters; fitting the generated orders must recover them. Each parameter must lie within 3.5
 * standard errors of the truth (the fit's own standard errors), and the implied mean spend per
 * transaction p·γ/(q−1) — well identified even when p and γ trade off — within 10%.
 */
import {
  bgNbdStandardErrors,
  fitBgNbd,
  fitGammaGamma,
  gammaGammaStandardErrors,
  summarizeTransactions,
} from '../../src/analytics/clv';
import { DEFAULT_PARAMS, generate } from '../../src/generate';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';

describe('CLV fit on generated data', () => {
  let tw: TestWarehouse;
  beforeAll(async () => {
    tw = await openTestWarehouse();
  });
  afterAll(() => tw.cleanup());

  it('recovers the generator’s BG/NBD and Gamma-Gamma parameters', async () => {
    await generate(tw.wh, { customers: 6000, days: 365, seed: 11, schema: tw.schema });
    const { rows } = await tw.wh.query<{ customer_id: number; day: string; revenue: string }>(
      `select customer_id, (ordered_at::date)::text as day, revenue::text as revenue
       from "${tw.schema}".orders where revenue > 0 order by ordered_at, order_id`,
    );
    const end = rows.reduce((m, r) => (r.day > m ? r.day : m), rows[0].day);
    const customers = summarizeTransactions(
      rows.map((r) => ({ customerId: String(r.customer_id), date: r.day, value: Number(r.revenue) })),
      // The generator's parameters are per day.
      { calibrationEnd: end, unit: 'days' },
    );
    const bg = fitBgNbd(customers);
    const bgSe = bgNbdStandardErrors(bg, customers)!;
    for (const p of ['r', 'alpha', 'a', 'b'] as const) {
      expect(Math.abs(bg[p] - DEFAULT_PARAMS.bgnbd[p])).toBeLessThanOrEqual(3.5 * bgSe[p]);
    }
    const repeaters = customers.filter((c) => c.x > 0);
    const gg = fitGammaGamma(repeaters);
    const ggSe = gammaGammaStandardErrors(gg, repeaters)!;
    for (const p of ['p', 'q', 'gamma'] as const) {
      expect(Math.abs(gg[p] - DEFAULT_PARAMS.gammaGamma[p])).toBeLessThanOrEqual(3.5 * ggSe[p]);
    }
    const truth = DEFAULT_PARAMS.gammaGamma;
    const meanSpend = (x: { p: number; q: number; gamma: number }) => (x.p * x.gamma) / (x.q - 1);
    expect(Math.abs(meanSpend(gg) / meanSpend(truth) - 1)).toBeLessThan(0.1);
  }, 180_000);
});
