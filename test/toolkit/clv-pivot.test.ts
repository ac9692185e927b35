/**
 * calculate_predictive_clv and its segments on a hand dataset; generate_pivot_table with values
 * that need identifier cleaning.
 */
import { csv, expectAllPassed, toolkitProject, type ToolkitProject } from './toolkit-project';

describe('calculate_predictive_clv', () => {
  let p: ToolkitProject;
  let byCustomer: Record<string, Record<string, number | string>>;
  beforeAll(async () => {
    p = await toolkitProject({
      'seeds/orders.csv': csv(
        ['order_id', 'customer_id', 'ordered_on', 'amount'],
        [
          [1, 'A', '2024-01-01', '600.00'],
          [2, 'A', '2024-03-31', '300.00'],
          [3, 'A', '2024-06-15', '300.00'],
          [4, 'A', '2024-07-10', '1000.00'], // after as_of: ignored
          [5, 'B', '2024-06-20', '100.00'],
          [6, 'C', '2023-01-01', '250.00'],
          [7, 'C', '2023-12-01', '250.00'],
          [8, 'D', '2024-05-01', '99.99'],
          [9, 'E', '2024-07-05', '50.00'], // only after as_of: no row
          [10, 'F', '2024-04-01', '200.00'],
        ],
      ),
      'models/clv.sql':
        "{{ analytics_engineering_toolkit.calculate_predictive_clv(ref('orders'), 'customer_id', 'ordered_on', 'amount', as_of=\"'2024-06-30'\") }}\n",
      'models/schema.yml': `version: 2
models:
  - name: clv
    data_tests: [analytics_engineering_toolkit.customer_lifetime_value_logic]
`,
    });
    expectAllPassed(await p.build());
    const rows = await p.rows<Record<string, string | number>>(
      `select customer_id, frequency::int as frequency, recency_days, tenure_days,
              avg_order_value::float8 as avg_order_value, total_spent::float8 as total_spent,
              customer_segment, heuristic_clv::float8 as heuristic_clv,
              prediction_confidence::float8 as prediction_confidence, churn_probability
       from {{S}}.clv`,
    );
    byCustomer = Object.fromEntries(rows.map((r) => [String(r.customer_id), r]));
  });
  afterAll(() => p.cleanup());

  // The discount: annual 10% -> monthly r = 1.1^(1/12) - 1 = 0.0079741; over 12 months the annuity
  // factor is (1 - 1.1^-1) / r = 0.09090909 / 0.00797414 = 11.400488.
  const r = 1.1 ** (1 / 12) - 1;
  const annuity = (1 - (1 + r) ** -12) / r;
  const month = 30.4375;

  it('uses the documented annuity factor', () => {
    expect(annuity).toBeCloseTo(11.400488, 5);
  });

  it('computes the heuristic by hand', () => {
    // A: 3 orders (the 07-10 one is after as_of), 1200 spent, AOV 400; last order 06-15 -> recency
    // 15 (churn 0.10); first 01-01 -> tenure 181 days (leap year). Frequency 3 / (181 / 30.4375) =
    // 0.504488 a month; 0.504488 * 400 * 0.9 = 181.6157 a month; * 11.400488 = 2070.50.
    // Confidence 3/5 * (0.5 + 0.5 * 181/365) = 0.6 * 0.747945 = 0.4488. Segment: 1200 >= 1000.
    const a = byCustomer.A;
    expect(a).toMatchObject({
      frequency: 3,
      recency_days: 15,
      tenure_days: 181,
      avg_order_value: 400,
      total_spent: 1200,
      customer_segment: 'high_value',
      prediction_confidence: 0.4488,
      churn_probability: 0.1,
    });
    expect(a.heuristic_clv).toBeCloseTo((3 / (181 / month)) * 400 * 0.9 * annuity, 2);
    expect(a.heuristic_clv).toBeCloseTo(2070.5, 1);

    // B: one order of 100 ten days ago: tenure floored at one month, so 1 order a month;
    // 100 * 0.9 * 11.400488 = 1026.04. Confidence 1/3 * (0.5 + 0.5 * 10/365) = 0.1712.
    // 100 is exactly the low_value threshold (inclusive).
    expect(byCustomer.B).toMatchObject({
      frequency: 1,
      recency_days: 10,
      tenure_days: 10,
      customer_segment: 'low_value',
      heuristic_clv: 1026.04,
      prediction_confidence: 0.1712,
    });

    // C: 2 orders, 500 (medium_value, inclusive); last 2023-12-01 -> 212 days (churn 0.90); tenure
    // 546 days -> 2 / (546 / 30.4375) = 0.111493 a month; * 250 * 0.1 = 2.787328; * 11.400488 = 31.78.
    // Confidence 2/4 * (0.5 + 0.5 * 1) = 0.5 (tenure capped at a year).
    expect(byCustomer.C).toMatchObject({
      frequency: 2,
      recency_days: 212,
      tenure_days: 546,
      customer_segment: 'medium_value',
      heuristic_clv: 31.78,
      prediction_confidence: 0.5,
      churn_probability: 0.9,
    });

    // D: 99.99 < 100: at_risk. Recency and tenure 60 (churn 0.30): 30.4375 / 60 = 0.507292 orders
    // a month; * 99.99 * 0.7 = 35.50676; * 11.400488 = 404.80. Confidence 1/3 * (0.5 + 0.5 * 60/365).
    expect(byCustomer.D).toMatchObject({ customer_segment: 'at_risk', churn_probability: 0.3 });
    expect(byCustomer.D.heuristic_clv).toBeCloseTo((month / 60) * 99.99 * 0.7 * annuity, 2);
    expect(byCustomer.D.heuristic_clv).toBeCloseTo(404.8, 1);
    expect(byCustomer.D.prediction_confidence).toBeCloseTo((1 / 3) * (0.5 + (0.5 * 60) / 365), 4);

    // F: recency exactly 90 days stays in the 31..90 band (churn 0.30); 200 spent: low_value.
    // 30.4375 / 90 * 200 * 0.7 * 11.400488 = 539.79.
    expect(byCustomer.F).toMatchObject({
      recency_days: 90,
      churn_probability: 0.3,
      customer_segment: 'low_value',
    });
    expect(byCustomer.F.heuristic_clv).toBeCloseTo((month / 90) * 200 * 0.7 * annuity, 2);

    expect(Object.keys(byCustomer).sort()).toEqual(['A', 'B', 'C', 'D', 'F']);
  });

  it('reads segment thresholds and the discount from the calling project', async () => {
    const q = await toolkitProject(
      {
        'seeds/orders.csv': csv(
          ['customer_id', 'order_date', 'revenue'],
          [
            [1, '2024-06-30', '150'],
            [2, '2024-06-30', '40'],
          ],
        ),
        'models/clv.sql': "{{ analytics_engineering_toolkit.calculate_predictive_clv(ref('orders')) }}\n",
        'models/schema.yml':
          'version: 2\nmodels:\n  - name: clv\n    data_tests: [analytics_engineering_toolkit.customer_lifetime_value_logic]\n',
      },
      { customer_segments: { gold: 120, silver: 30 }, clv_discount_rate: 0, clv_horizon_months: 6 },
    );
    try {
      expectAllPassed(await q.build());
      // as_of defaults to the last order date; no discount: 6 months * 1 order * value * 0.9.
      expect(
        await q.rows(
          'select customer_id, customer_segment, heuristic_clv::float8 as clv from {{S}}.clv order by 1',
        ),
      ).toEqual([
        { customer_id: 1, customer_segment: 'gold', clv: 810 },
        { customer_id: 2, customer_segment: 'silver', clv: 216 },
      ]);
    } finally {
      await q.cleanup();
    }
  });
});

describe('generate_pivot_table', () => {
  it('makes one safe, unique, quoted column per value', async () => {
    const p = await toolkitProject({
      'seeds/spend.csv': csv(
        ['account', 'channel', 'qty', 'amount'],
        [
          [1, 'Paid Search', 2, 10],
          [1, 'paid-search', 10, 5],
          [1, 'Email', 2, 3],
          [2, 'Email', 10, 4],
          [2, '2024 Promo!', 2, 7],
          [2, "O'Reilly", 10, 1],
          [2, null, 2, 100],
          [3, 'Select', 2, 2],
        ],
      ),
      // The seed does not exist when the project is parsed: the pivot only queries at execution.
      'models/by_channel.sql':
        "{{ analytics_engineering_toolkit.generate_pivot_table(ref('spend'), 'account', 'channel', 'amount') }}\n",
      'models/by_qty.sql':
        "{{ analytics_engineering_toolkit.generate_pivot_table(ref('spend'), ['account'], 'qty', 'amount', agg='count', prefix='qty ') }}\n",
    });
    try {
      expectAllPassed(await p.build());
      const columns = async (table: string) =>
        (
          await p.rows<{ column_name: string }>(
            `select column_name from information_schema.columns
             where table_schema = '${p.schema}' and table_name = '${table}' order by ordinal_position`,
          )
        ).map((c) => c.column_name);
      // The column order follows the database's ordering of the values (its collation decides
      // between 'Paid Search' and 'paid-search'); the names do not depend on it, except which of the
      // two colliding values gets the _2 suffix.
      const order = (
        await p.rows<{ v: string }>(
          `select distinct channel as v from {{S}}.spend where channel is not null order by 1`,
        )
      ).map((r) => r.v);
      const clean: Record<string, string> = {
        '2024 Promo!': '2024_promo_',
        Email: 'email',
        "O'Reilly": 'o_reilly',
        Select: 'select',
      };
      const expected: string[] = [];
      for (const v of order) {
        if (clean[v]) expected.push(clean[v]);
        else expected.push(expected.includes('paid_search') ? 'paid_search_2' : 'paid_search');
      }
      expect(await columns('by_channel')).toEqual(['account', ...expected]);
      const nameOf = (v: string) => expected[order.indexOf(v)];
      const rows = await p.rows<Record<string, unknown>>('select * from {{S}}.by_channel order by account');
      expect(
        rows.map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, x]) => [k, x === null ? null : Number(x)])),
        ),
      ).toEqual([
        {
          account: 1,
          '2024_promo_': null,
          email: 3,
          o_reilly: null,
          select: null,
          [nameOf('Paid Search')]: 10,
          [nameOf('paid-search')]: 5,
        },
        {
          account: 2,
          '2024_promo_': 7,
          email: 4,
          o_reilly: 1,
          select: null,
          [nameOf('Paid Search')]: null,
          [nameOf('paid-search')]: null,
        },
        {
          account: 3,
          '2024_promo_': null,
          email: null,
          o_reilly: null,
          select: 2,
          [nameOf('Paid Search')]: null,
          [nameOf('paid-search')]: null,
        },
      ]);
      // Numbers sort as numbers (2 before 10), with the prefix cleaned into the name.
      expect(await columns('by_qty')).toEqual(['account', 'qty_2', 'qty_10']);
      expect(
        await p.rows('select account, qty_2::int as a, qty_10::int as b from {{S}}.by_qty order by 1'),
      ).toEqual([
        { account: 1, a: 2, b: 1 },
        { account: 2, a: 2, b: 2 },
        { account: 3, a: 1, b: 0 },
      ]);
    } finally {
      await p.cleanup();
    }
  });
});
