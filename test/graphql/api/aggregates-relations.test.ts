/**
 * Aggregates, relationship fields and by-key lookups over HTTP on the example marts, each
 * compared with the same question asked of the warehouse in SQL; relationship and by-key loads
 * are counted at the warehouse to show they are batched (one statement per relationship per level).
 */
import { startExampleApi, type ExampleApi } from './example-api';

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const instant = (v: unknown) => (v === null || v === undefined ? null : new Date(String(v)).getTime());

describe('model aggregates, relationships and by-key over HTTP', () => {
  let api: ExampleApi;

  beforeAll(async () => {
    api = await startExampleApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('groups, filters and orders by an aggregate like the same SQL', async () => {
    const { rows: channels } = await api.pw.wh.query<{ channel: string }>(
      `select distinct channel from ${api.rel('fct_attribution')} order by 1`,
    );
    const excluded = channels[0].channel;
    const body = await api.gql(
      `query ($excluded: String!) {
        fctAttributionAggregate(groupBy: [ATTRIBUTION_MODEL, CHANNEL], where: { channel: { ne: $excluded } },
            orderBy: [{ aggregate: SUM, column: ATTRIBUTED_VALUE, direction: DESC }], limit: 1000) {
          rows { attributionModel channel count sum { attributedValue weight } avg { weight } min { touchedAt } max { touchedAt } }
          meta { freshness }
        }
      }`,
      { excluded },
    );
    expect(body.errors).toBeUndefined();
    const { rows } = await api.pw.wh.query<Record<string, unknown>>(
      `select attribution_model, channel, count(*)::int as n, sum(attributed_value) as value, sum(weight) as weight,
              avg(weight) as avg_weight, min(touched_at) as first, max(touched_at) as last
         from ${api.rel('fct_attribution')} where channel <> $1
        group by 1, 2 order by sum(attributed_value) desc, 1, 2`,
      [excluded],
    );
    expect(rows.length).toBeGreaterThan(5);
    const got = body.data!.fctAttributionAggregate.rows;
    expect(got.map((r: any) => [r.attributionModel, r.channel, r.count])).toEqual(
      rows.map((r) => [r.attribution_model, r.channel, r.n]),
    );
    got.forEach((r: any, i: number) => {
      const want = rows[i];
      expect(r.sum.attributedValue).toBe(num(want.value));
      expect(r.sum.weight).toBe(num(want.weight));
      expect(r.avg.weight).toBe(num(want.avg_weight));
      expect(instant(r.min.touchedAt)).toBe(instant(want.first));
      expect(instant(r.max.touchedAt)).toBe(instant(want.last));
    });
    expect(body.data!.fctAttributionAggregate.meta.freshness).toBe('FRESH');
  });

  it('buckets a timestamptz column by month in a time zone, computing only the selected aggregates', async () => {
    const spy = jest.spyOn(api.pw.wh, 'query');
    const body = await api.gql(`{
      fctAttributionAggregate(timeGrain: { column: CONVERTED_AT, grain: MONTH, timezone: "America/New_York" },
                              where: { attributionModel: { eq: "linear" } }, orderBy: [{ column: CONVERTED_AT }]) {
        rows { convertedAt count sum { attributedValue } }
      }
    }`);
    const sqls = spy.mock.calls.map((c) => c[0]).filter((sql) => sql.includes('fct_attribution"'));
    spy.mockRestore();
    expect(body.errors).toBeUndefined();
    expect(sqls).toHaveLength(1);
    expect(sqls[0]).toContain('sum("attributed_value")');
    expect(sqls[0]).not.toMatch(/avg|min\(|max\(/);
    const { rows } = await api.pw.wh.query<Record<string, unknown>>(
      `select to_char(date_trunc('month', converted_at at time zone 'America/New_York'), 'YYYY-MM-DD"T"HH24:MI:SS') as bucket,
              count(*)::int as n, sum(attributed_value) as value
         from ${api.rel('fct_attribution')} where attribution_model = 'linear' group by 1 order by 1`,
    );
    expect(rows.length).toBeGreaterThan(1);
    const got = body.data!.fctAttributionAggregate.rows;
    expect(got.map((r: any) => String(r.convertedAt).slice(0, 19))).toEqual(rows.map((r) => r.bucket));
    expect(got.map((r: any) => [r.count, r.sum.attributedValue])).toEqual(
      rows.map((r) => [r.n, num(r.value)]),
    );
  });

  it('refuses bad aggregate requests with BAD_USER_INPUT naming the argument', async () => {
    const cases: [string, string][] = [
      [
        `{ fctAttributionAggregate(orderBy: [{ aggregate: SUM, column: CHANNEL }]) { rows { count } } }`,
        'orderBy',
      ],
      [
        `{ fctAttributionAggregate(timeGrain: { column: CHANNEL, grain: DAY }) { rows { count } } }`,
        'timeGrain',
      ],
      [`{ fctAttributionAggregate(groupBy: [CHANNEL], limit: 1001) { rows { count } } }`, 'limit'],
      [`{ fctAttributionAggregate(orderBy: [{ column: CHANNEL }]) { rows { count } } }`, 'orderBy'],
    ];
    for (const [query, argument] of cases) {
      const body = await api.gql(query);
      expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(body.data ?? null).toBeNull();
      expect(String(body.errors?.[0].extensions?.argumentPath)).toMatch(new RegExp(`^${argument}`));
    }
    // An aggregate that does not apply to a column is not in the schema at all.
    const invalid = await api.gql(`{ fctAttributionAggregate { rows { sum { channel } } } }`);
    expect(invalid.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('resolves a relationship for 500 parent rows with one batched query, matching a SQL join', async () => {
    const spy = jest.spyOn(api.pw.wh, 'query');
    const body = await api.gql(`{
      fctAttribution(orderBy: [{ column: CONVERSION_ID }, { column: TOUCHPOINT_ID }, { column: ATTRIBUTION_MODEL }], limit: 500) {
        rows { conversionId touchpointId attributionModel customerId customerClv { customerId totalSpent customerSegment } }
      }
    }`);
    const clvReads = spy.mock.calls.map((c) => c[0]).filter((sql) => sql.includes('customer_clv"'));
    spy.mockRestore();
    expect(body.errors).toBeUndefined();
    const rows = body.data!.fctAttribution.rows;
    expect(rows).toHaveLength(500);
    expect(clvReads).toHaveLength(1);
    expect(clvReads[0]).toContain('unnest(');

    const { rows: joined } = await api.pw.wh.query<Record<string, unknown>>(
      `select f.customer_id, c.customer_id as clv_customer, c.total_spent, c.customer_segment
         from ${api.rel('fct_attribution')} f left join ${api.rel('customer_clv')} c using (customer_id)
        order by f.conversion_id, f.touchpoint_id, f.attribution_model limit 500`,
    );
    const distinctCustomers = new Set(joined.map((r) => r.customer_id)).size;
    expect(distinctCustomers).toBeGreaterThan(10);
    expect(
      rows.map(
        (r: any) =>
          r.customerClv && [
            r.customerClv.customerId,
            r.customerClv.totalSpent,
            r.customerClv.customerSegment,
          ],
      ),
    ).toEqual(
      joined.map((r) =>
        r.clv_customer === null ? null : [r.clv_customer, num(r.total_spent), r.customer_segment],
      ),
    );
    const read = api.events
      .filter((e) => e.event === 'model_read' && String(e.model).endsWith('.customer_clv'))
      .pop();
    expect(read).toMatchObject({ keys: distinctCustomers });

    // The key column is read for the relationship even when the client does not select it.
    const lean = await api.gql(`{
      fctAttribution(orderBy: [{ column: CONVERSION_ID }, { column: TOUCHPOINT_ID }, { column: ATTRIBUTION_MODEL }], limit: 500) {
        rows { customerClv { customerId } }
      }
    }`);
    expect(lean.errors).toBeUndefined();
    expect(lean.data!.fctAttribution.rows.map((r: any) => r.customerClv?.customerId ?? null)).toEqual(
      joined.map((r) => r.clv_customer),
    );
  });

  it('looks rows up by their unique key, several in one statement, null for none', async () => {
    const { rows } = await api.pw.wh.query<Record<string, unknown>>(
      `select customer_id, total_spent, probability_alive from ${api.rel('customer_clv')} order by customer_id limit 2`,
    );
    const spy = jest.spyOn(api.pw.wh, 'query');
    const body = await api.gql(
      `query ($a: Int!, $b: Int!) {
        a: customerClvByKey(customerId: $a) { customerId totalSpent probabilityAlive }
        b: customerClvByKey(customerId: $b) { customerId totalSpent probabilityAlive }
        none: customerClvByKey(customerId: -1) { customerId }
      }`,
      { a: rows[0].customer_id, b: rows[1].customer_id },
    );
    const reads = spy.mock.calls.map((c) => c[0]).filter((sql) => sql.includes('customer_clv"'));
    spy.mockRestore();
    expect(body.errors).toBeUndefined();
    expect(reads).toHaveLength(1);
    const want = (r: Record<string, unknown>) => ({
      customerId: r.customer_id,
      totalSpent: num(r.total_spent),
      probabilityAlive: num(r.probability_alive),
    });
    expect(body.data).toEqual({ a: want(rows[0]), b: want(rows[1]), none: null });
  });
});
