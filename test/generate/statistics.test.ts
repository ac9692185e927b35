/**
 * The orders follow the recorded BG/NBD and Gamma-Gamma truth: statistics over a few thousand
 * customers match values computed here from the parameters read back from generator_params.
 *
 * - Share of buyers with a repeat purchase: under BG/NBD nobody drops out before their first repeat
 *   purchase, so P(X(T) > 0) = 1 - E[exp(-lambda T)] = 1 - (alpha / (alpha + T))^r for a buyer
 *   observed for T days after their first purchase; averaged over the buyers' own T.
 * - The distribution of the number of repeat purchases, which also depends on the dropout
 *   parameters a and b: P(X(T) = x) from Fader, Hardie & Lee (2005), eq. 8, for x = 0, 1, 2.
 * - Mean spend per transaction: E[Gamma(p, nu)] = E[p / nu] = p * gamma / (q - 1), over orders whose
 *   value was not changed by a refund (refunds are chosen independently of value).
 */
import { generate } from '../../src/generate';
import { qualify, type Warehouse } from '../../src/warehouse';
import { type GeneratorTestWarehouse, openGeneratorWarehouse } from './helpers';

let t: GeneratorTestWarehouse;
beforeAll(async () => {
  t = await openGeneratorWarehouse();
});
afterAll(async () => {
  await t?.cleanup();
});

/** ln Gamma(x) for x > 0 (Lanczos, g = 7). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let sum = c[0];
  for (let i = 1; i < 9; i++) sum += c[i] / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
}

const lnBeta = (a: number, b: number) => lnGamma(a) + lnGamma(b) - lnGamma(a + b);

/** BG/NBD P(X(t) = x) (Fader, Hardie & Lee 2005, eq. 8). */
function bgnbdPmf(x: number, t: number, m: { r: number; alpha: number; a: number; b: number }): number {
  const { r, alpha, a, b } = m;
  const term = (j: number) =>
    Math.exp(
      lnGamma(r + j) -
        lnGamma(r) -
        lnGamma(j + 1) +
        r * Math.log(alpha / (alpha + t)) +
        j * Math.log(t / (alpha + t)),
    );
  let p = Math.exp(lnBeta(a, b + x) - lnBeta(a, b)) * term(x);
  if (x > 0) {
    let sum = 0;
    for (let j = 0; j < x; j++) sum += term(j);
    p += Math.exp(lnBeta(a + 1, b + x - 1) - lnBeta(a, b)) * (1 - sum);
  }
  return p;
}

async function recorded(wh: Warehouse, schema: string) {
  const rows = await wh.query<{ model: string; parameter: string; value: number }>(
    `select model, parameter, value from ${qualify(schema, 'generator_params')}`,
  );
  const get = (model: string, parameter: string) => {
    const row = rows.rows.find((r) => r.model === model && r.parameter === parameter);
    if (!row) throw new Error(`no ${model}.${parameter}`);
    return Number(row.value);
  };
  return {
    r: get('bgnbd', 'r'),
    alpha: get('bgnbd', 'alpha'),
    a: get('bgnbd', 'a'),
    b: get('bgnbd', 'b'),
    p: get('gamma_gamma', 'p'),
    q: get('gamma_gamma', 'q'),
    gamma: get('gamma_gamma', 'gamma'),
    horizon: get('generator', 'horizon_epoch'),
  };
}

async function check(schema: string) {
  const truth = await recorded(t.wh, schema);
  const buyers = await t.wh.query<{ first: number; n: number }>(
    `select extract(epoch from min(ordered_at))::float8 as first, count(*)::int as n
       from ${qualify(schema, 'orders')} group by customer_id`,
  );
  let expectedRepeat = 0;
  let observedRepeat = 0;
  const expectedPmf = [0, 0, 0];
  const observedPmf = [0, 0, 0];
  for (const b of buyers.rows) {
    const T = (truth.horizon - Number(b.first)) / 86400;
    expectedRepeat += 1 - Math.pow(truth.alpha / (truth.alpha + T), truth.r);
    if (Number(b.n) > 1) observedRepeat++;
    for (let x = 0; x < 3; x++) expectedPmf[x] += bgnbdPmf(x, T, truth) / buyers.rows.length;
    if (Number(b.n) - 1 < 3) observedPmf[Number(b.n) - 1] += 1 / buyers.rows.length;
  }
  const spend = await t.wh.query<{ mean: number; n: number }>(
    `select avg(revenue)::float8 as mean, count(*)::int as n from ${qualify(schema, 'orders')} where status = 'completed'`,
  );
  return {
    buyers: buyers.rows.length,
    pmf: observedPmf,
    expectedPmf,
    repeatShare: observedRepeat / buyers.rows.length,
    expectedRepeatShare: expectedRepeat / buyers.rows.length,
    meanSpend: Number(spend.rows[0].mean),
    expectedMeanSpend: (truth.p * truth.gamma) / (truth.q - 1),
  };
}

describe('orders follow the recorded BG/NBD and Gamma-Gamma parameters', () => {
  it('with the default parameters', async () => {
    const s = await generate(t.wh, { customers: 5000, days: 365, seed: 2024, schema: t.schema });
    const stats = await check(s.schema);
    expect(stats.buyers).toBeGreaterThan(2500);
    expect(Math.abs(stats.repeatShare - stats.expectedRepeatShare)).toBeLessThan(0.035);
    expect(Math.abs(stats.meanSpend / stats.expectedMeanSpend - 1)).toBeLessThan(0.07);
    for (let x = 0; x < 3; x++) expect(Math.abs(stats.pmf[x] - stats.expectedPmf[x])).toBeLessThan(0.03);
  });

  it('with other parameters (frequent buyers, smaller baskets)', async () => {
    const schema = await t.extraSchema('alt');
    await generate(t.wh, {
      customers: 3000,
      days: 180,
      seed: 99,
      schema,
      params: { bgnbd: { r: 2, alpha: 40, a: 1.5, b: 6 }, gammaGamma: { p: 3, q: 6, gamma: 100 } },
    });
    const stats = await check(schema);
    expect(stats.buyers).toBeGreaterThan(1500);
    expect(stats.expectedRepeatShare).toBeGreaterThan(0.7);
    expect(Math.abs(stats.repeatShare - stats.expectedRepeatShare)).toBeLessThan(0.035);
    expect(Math.abs(stats.meanSpend / stats.expectedMeanSpend - 1)).toBeLessThan(0.07);
    for (let x = 0; x < 3; x++) expect(Math.abs(stats.pmf[x] - stats.expectedPmf[x])).toBeLessThan(0.03);
  });
});
