/**
 * The toolkit's generic tests pass on good data and fail (with the expected failing rows) on bad
 * data; track_model_performance logs each build of a model; the repository root itself loads as a
 * local package.
 */
import { csv, expectAllPassed, toolkitProject } from './toolkit-project';
import type { RunSummary } from '../../src/run/types';

function testResults(summary: RunSummary): Record<string, { status: string; failures?: number }> {
  return Object.fromEntries(
    summary.results
      .filter((r) => r.resourceType === 'test')
      .map((r) => [
        r.name.replace(/^analytics_engineering_toolkit_/, ''),
        { status: r.status, failures: r.failures },
      ]),
  );
}

const TESTS_YML = `version: 2
seeds:
  - name: weights
    data_tests:
      - analytics_engineering_toolkit.weights_sum_to_one:
          group_by: [conversion_id, model]
  - name: orders
    columns:
      - name: customer_id
        data_tests:
          - analytics_engineering_toolkit.referential_integrity:
              to: ref('customers')
              field: id
  - name: clv
    data_tests: [analytics_engineering_toolkit.customer_lifetime_value_logic]
  - name: retention
    columns:
      - name: rate
        data_tests:
          - analytics_engineering_toolkit.retention_in_bounds:
              period_column: period
`;

describe('generic tests', () => {
  it('pass on good data', async () => {
    const p = await toolkitProject({
      'seeds/weights.csv': csv(
        ['conversion_id', 'model', 'weight'],
        [
          [1, 'linear', '0.333333333333'],
          [1, 'linear', '0.333333333333'],
          [1, 'linear', '0.333333333334'],
          [2, 'linear', '1'],
        ],
      ),
      'seeds/customers.csv': csv(['id'], [[1], [2]]),
      'seeds/orders.csv': csv(
        ['order_id', 'customer_id'],
        [
          [1, 1],
          [2, 2],
          [3, null],
        ],
      ),
      'seeds/clv.csv': csv(
        [
          'customer_id',
          'total_spent',
          'customer_segment',
          'heuristic_clv',
          'avg_order_value',
          'frequency',
          'recency_days',
          'tenure_days',
          'prediction_confidence',
        ],
        [
          [1, 1000, 'high_value', 10, 500, 2, 0, 0, 1],
          [2, 999.99, 'medium_value', 0, 999.99, 1, 3, 3, 0],
          [3, 100, 'low_value', 5, 50, 2, 3, 9, 0.5],
          [4, 0, 'at_risk', 0, 0, 1, 400, 500, 0.2],
        ],
      ),
      'seeds/retention.csv': csv(
        ['period', 'rate'],
        [
          [0, 1],
          [1, 0],
          [2, 0.5],
          [3, 1],
        ],
      ),
      'seeds/properties.yml': TESTS_YML,
    });
    try {
      const summary = await p.build();
      expectAllPassed(summary);
      expect(Object.keys(testResults(summary)).sort()).toEqual([
        'customer_lifetime_value_logic_clv_',
        'referential_integrity_orders_customer_id__id__ref_customers_',
        'retention_in_bounds_retention_rate__period',
        'weights_sum_to_one_weights_conversion_id__model',
      ]);
    } finally {
      await p.cleanup();
    }
  });

  it('fail on bad data with the failing rows', async () => {
    const p = await toolkitProject({
      'seeds/weights.csv': csv(
        ['conversion_id', 'model', 'weight'],
        [
          [1, 'linear', '0.5'],
          [1, 'linear', '0.5'],
          [1, 'first_touch', '0.5'], // sums to 0.5
          [2, 'linear', '0.5'],
          [2, 'linear', '0.500000001'], // off by exactly 1e-9: within the tolerance, passes
          [3, 'linear', '0.5'],
          [3, 'linear', '0.50000001'], // off by 1e-8: fails
          [4, 'linear', null], // a null weight fails
          [4, 'linear', '1'],
        ],
      ),
      'seeds/customers.csv': csv(['id'], [[1]]),
      'seeds/orders.csv': csv(
        ['order_id', 'customer_id'],
        [
          [1, 1],
          [2, 2],
          [3, 2],
          [4, 3],
        ],
      ),
      'seeds/clv.csv': csv(
        [
          'customer_id',
          'total_spent',
          'customer_segment',
          'heuristic_clv',
          'avg_order_value',
          'frequency',
          'recency_days',
          'tenure_days',
          'prediction_confidence',
        ],
        [
          [1, 1000, 'high_value', 10, 500, 2, 0, 0, 1], // good
          [2, 999.99, 'high_value', 0, 999.99, 1, 3, 3, 0], // wrong segment
          [3, 100, 'low_value', -5, 50, 2, 3, 9, 0.5], // negative CLV
          [4, 50, 'at_risk', 0, 50, 1, 400, 500, 1.5], // confidence above 1
          [5, 50, 'at_risk', 0, 50, 0, 400, 500, 0.5], // no orders
        ],
      ),
      'seeds/retention.csv': csv(
        ['period', 'rate'],
        [
          [0, 0.9],
          [1, 1.2],
          [2, -0.1],
          [3, 0.4],
          [4, null],
        ],
      ),
      'seeds/properties.yml': TESTS_YML,
    });
    try {
      const summary = await p.build();
      expect(testResults(summary)).toEqual({
        // conversion 1/first_touch (0.5), 3/linear (1.00000001), 4/linear (null weight).
        weights_sum_to_one_weights_conversion_id__model: { status: 'fail', failures: 3 },
        // customer ids 2 and 3 are missing (one failing row per missing value).
        referential_integrity_orders_customer_id__id__ref_customers_: { status: 'fail', failures: 2 },
        customer_lifetime_value_logic_clv_: { status: 'fail', failures: 4 },
        // period 0 at 0.9, 1.2, -0.1 and null.
        retention_in_bounds_retention_rate__period: { status: 'fail', failures: 4 },
      });
    } finally {
      await p.cleanup();
    }
  });
});

describe('track_model_performance', () => {
  it('appends one row per build of the model', async () => {
    const p = await toolkitProject({
      'seeds/numbers.csv': csv(['n'], [[1], [2], [3]]),
      'models/tracked.sql': [
        '{{ config(post_hook="{{ analytics_engineering_toolkit.track_model_performance() }}") }}',
        "select n from {{ ref('numbers') }}",
        '',
      ].join('\n'),
      'models/tracked_view.sql': [
        '{{ config(materialized=\'view\', post_hook="{{ analytics_engineering_toolkit.track_model_performance() }}") }}',
        "select n from {{ ref('numbers') }} where n > 1",
        '',
      ].join('\n'),
    });
    try {
      const first = await p.build({ threads: 2 });
      expectAllPassed(first);
      const second = await p.build();
      expectAllPassed(second);
      const log = await p.rows<Record<string, unknown>>(
        `select invocation_id, unique_id, relation_name, row_count::int as row_count,
                recorded_at is not null and run_started_at is not null as timed
         from {{S}}.model_performance_log order by recorded_at, unique_id`,
      );
      const rel = (name: string) => `"${p.schema}"."${name}"`;
      expect(log).toEqual(
        expect.arrayContaining([
          {
            invocation_id: first.invocationId,
            unique_id: 'model.toolkit_consumer.tracked',
            relation_name: rel('tracked'),
            row_count: 3,
            timed: true,
          },
          {
            invocation_id: first.invocationId,
            unique_id: 'model.toolkit_consumer.tracked_view',
            relation_name: rel('tracked_view'),
            row_count: 2,
            timed: true,
          },
          {
            invocation_id: second.invocationId,
            unique_id: 'model.toolkit_consumer.tracked',
            relation_name: rel('tracked'),
            row_count: 3,
            timed: true,
          },
          {
            invocation_id: second.invocationId,
            unique_id: 'model.toolkit_consumer.tracked_view',
            relation_name: rel('tracked_view'),
            row_count: 2,
            timed: true,
          },
        ]),
      );
      expect(log).toHaveLength(4);
    } finally {
      await p.cleanup();
    }
  });
});

describe('the repository root as a local package', () => {
  it('installs, with its models and sources disabled, and its macros callable', async () => {
    const p = await toolkitProject(
      {
        'seeds/touchpoints.csv': csv(
          ['touchpoint_id', 'customer_id', 'touched_at', 'channel', 'campaign'],
          [[1, 1, '2024-01-01 00:00:00', 'email', 'x']],
        ),
        'seeds/conversions.csv': csv(
          ['conversion_id', 'customer_id', 'converted_at', 'revenue'],
          [[1, 1, '2024-01-02 00:00:00', '10']],
        ),
        'models/attribution.sql':
          "{{ analytics_engineering_toolkit.calculate_attribution(ref('touchpoints'), ref('conversions'), models='linear') }}\n",
      },
      {},
      { package: 'root' },
    );
    try {
      const summary = await p.build();
      expectAllPassed(summary);
      expect(summary.results.map((r) => r.name).sort()).toEqual([
        'attribution',
        'conversions',
        'touchpoints',
      ]);
      expect(await p.rows('select weight::float8 as w from {{S}}.attribution')).toEqual([{ w: 1 }]);
    } finally {
      await p.cleanup();
    }
  });
});
