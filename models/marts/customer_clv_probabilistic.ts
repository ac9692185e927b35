/**
 * Per customer, from the fitted BG/NBD and Gamma-Gamma parameters: expected purchases over the
 * horizon (var clv_horizon_months), the probability of still being a customer, and the expected
 * discounted CLV (var clv_discount_rate a year).
 */
import {
  bgNbdExpectedPurchases,
  bgNbdProbabilityAlive,
  DAYS_PER_MONTH,
  expectedClv,
  type BgNbdParams,
  type GammaGammaParams,
} from '../../src/analytics/clv';
import { defineModel } from '../../src/tsmodel';
import { customerSummaries } from './_clv_inputs';

export default defineModel({
  refs: ['stg_orders', 'clv_model_params'],
  columns: {
    customer_id: 'integer',
    expected_purchases_horizon: 'double precision',
    probability_alive: 'double precision',
    predicted_clv: 'numeric(14,2)',
  },
  async run(ctx) {
    const params = await ctx.query<{ model: string; parameter: string; value: number }>(
      `select model, parameter, value from ${ctx.ref('clv_model_params')}`,
    );
    const get = (model: string, p: string) =>
      params.find((r) => r.model === model && r.parameter === p)?.value;
    const bg = {
      r: get('bg_nbd', 'r'),
      alpha: get('bg_nbd', 'alpha'),
      a: get('bg_nbd', 'a'),
      b: get('bg_nbd', 'b'),
    };
    const gg = { p: get('gamma_gamma', 'p'), q: get('gamma_gamma', 'q'), gamma: get('gamma_gamma', 'gamma') };
    if (Object.values(bg).some((v) => v === undefined) || Object.values(gg).some((v) => v === undefined))
      return [];
    const horizonMonths = Number(ctx.var('clv_horizon_months', 12));
    const discountRate = Number(ctx.var('clv_discount_rate', 0.1));
    const horizonWeeks = (horizonMonths * DAYS_PER_MONTH) / 7;
    return (await customerSummaries(ctx)).map((c) => ({
      customer_id: Number(c.customerId),
      expected_purchases_horizon: bgNbdExpectedPurchases(bg as BgNbdParams, horizonWeeks, c.x, c.tx, c.T),
      probability_alive: bgNbdProbabilityAlive(bg as BgNbdParams, c.x, c.tx, c.T),
      predicted_clv:
        Math.round(
          expectedClv(bg as BgNbdParams, gg as GammaGammaParams, c, {
            horizonMonths,
            discountRate,
            unit: 'weeks',
          }) * 100,
        ) / 100,
    }));
  },
});
