/**
 * BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma (Fader & Hardie 2013) fitted by maximum
 * likelihood on the customers' order history (time unit: weeks). One row per parameter.
 */
import { fitBgNbd, fitGammaGamma } from '../../src/analytics/clv';
import { defineModel } from '../../src/tsmodel';
import { customerSummaries } from './_clv_inputs';

export default defineModel({
  refs: ['stg_orders'],
  columns: {
    model: 'text',
    parameter: 'text',
    value: 'double precision',
    log_likelihood: 'double precision',
    customers: 'integer',
    fitted_at: 'timestamptz',
  },
  async run(ctx) {
    const customers = await customerSummaries(ctx);
    if (customers.length === 0) return [];
    const fittedAt = new Date();
    const bg = fitBgNbd(customers);
    const repeaters = customers.filter((c) => c.x > 0);
    const rows = (['r', 'alpha', 'a', 'b'] as const).map((p) => ({
      model: 'bg_nbd',
      parameter: p,
      value: bg[p],
      log_likelihood: bg.logLikelihood,
      customers: customers.length,
      fitted_at: fittedAt,
    }));
    if (repeaters.length > 0) {
      const gg = fitGammaGamma(repeaters);
      for (const p of ['p', 'q', 'gamma'] as const) {
        rows.push({
          model: 'gamma_gamma',
          parameter: p,
          value: gg[p],
          log_likelihood: gg.logLikelihood,
          customers: gg.customers,
          fitted_at: fittedAt,
        });
      }
    }
    return rows;
  },
});
