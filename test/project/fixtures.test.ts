/**
 * The fixture projects under test/fixtures load as the later stages expect: these counts and configs
 * are what the compiler and build tests rely on.
 */
import * as path from 'node:path';
import { loadProject, resolveVar } from '../../src/project';

const fixtures = path.join(__dirname, '..', 'fixtures');

describe('fixture jaffle_shop', () => {
  it('loads 5 models, 3 seeds, their tests and a docs block', async () => {
    const project = await loadProject(path.join(fixtures, 'jaffle_shop'));
    expect(project.packages.map((p) => p.name)).toEqual(['jaffle_shop']);
    const models = Object.fromEntries(project.models.map((m) => [m.name, m]));
    expect(Object.keys(models).sort()).toEqual([
      'customers',
      'orders',
      'stg_customers',
      'stg_orders',
      'stg_payments',
    ]);
    expect(models.stg_orders.config).toMatchObject({ materialized: 'view', tags: ['jaffle', 'staging'] });
    expect(models.orders.config).toMatchObject({ materialized: 'table', tags: ['jaffle', 'marts'] });
    expect(models.orders.fqn).toEqual(['jaffle_shop', 'marts', 'orders']);
    expect(project.seeds.map((s) => s.name)).toEqual(['raw_customers', 'raw_orders', 'raw_payments']);
    expect(project.seeds[1].config.column_types).toEqual({ order_date: 'date' });
    expect(project.docs.map((d) => d.path)).toEqual(['models/docs.md']);

    const tests = project.models.flatMap((m) => (m.properties?.columns ?? []).flatMap((c) => c.tests));
    expect(tests).toHaveLength(16);
    const names = tests.map((t) => t.testName);
    expect(new Set(names)).toEqual(new Set(['unique', 'not_null', 'accepted_values', 'relationships']));
    const relationship = tests.find((t) => t.testName === 'relationships')!;
    expect(relationship).toMatchObject({
      args: { to: "ref('customers')", field: 'customer_id' },
      columnName: 'customer_id',
    });
    expect(
      models.customers.properties!.columns.find((c) => c.name === 'customer_lifetime_value')!.dataType,
    ).toBe('numeric');
    expect(project.notes).toEqual([
      expect.stringContaining('profile'),
      expect.stringContaining('require-dbt-version'),
    ]);
  });
});

describe('fixture toolkit_demo (with toolkit_pkg)', () => {
  it('loads the root project and its local package', async () => {
    const project = await loadProject(path.join(fixtures, 'toolkit_demo'));
    expect(project.packages.map((p) => p.name)).toEqual(['toolkit_demo', 'toolkit_pkg']);
    expect(project.config.dispatch).toEqual([
      { macroNamespace: 'toolkit_pkg', searchOrder: ['toolkit_demo', 'toolkit_pkg'] },
    ]);
    expect(project.models.map((m) => `${m.package}.${m.name}:${m.config.materialized}`)).toEqual([
      'toolkit_demo.user_event_amounts:table',
      'toolkit_demo.user_segments:table',
      'toolkit_demo.stg_events:view',
      'toolkit_pkg.toolkit_numbers:view',
    ]);
    const numbers = project.models[3];
    expect(numbers.config).toMatchObject({ schema: 'toolkit', tags: ['toolkit'] });
    expect(project.seeds[0].config.column_types).toEqual({
      user_id: 'integer',
      event_date: 'date',
      amount: 'numeric(10,2)',
    });
    expect(project.singularTests.map((t) => t.name)).toEqual(['assert_refunds_not_above_purchases']);
    expect(project.analyses.map((t) => t.name)).toEqual(['event_mix']);
    expect(project.macros.map((m) => `${m.package}:${m.path}`)).toEqual([
      'toolkit_demo:macros/event_thresholds.sql',
      'toolkit_demo:macros/postgres__safe_divide.sql',
      'toolkit_demo:tests/generic/not_empty_string.sql',
      'toolkit_pkg:macros/event_types.sql',
      'toolkit_pkg:macros/generic_tests/is_positive.sql',
      'toolkit_pkg:macros/money.sql',
      'toolkit_pkg:macros/safe_divide.sql',
    ]);
    expect(project.macroProperties!.map((m) => m.name)).toEqual([
      'default_event_types',
      'safe_divide',
      'money',
    ]);
  });

  it('declares the app source with inherited and overridden freshness', async () => {
    const project = await loadProject(path.join(fixtures, 'toolkit_demo'));
    const byName = Object.fromEntries(project.sources.map((s) => [s.name, s]));
    expect(byName.users).toMatchObject({
      schema: 'raw',
      loadedAtField: '_loaded_at',
      loader: 'app_replication',
    });
    expect(byName.sessions).toMatchObject({
      identifier: 'app_sessions',
      loadedAtField: 'session_started_at',
      freshness: { warn_after: { count: 1, period: 'hour' }, error_after: { count: 24, period: 'hour' } },
    });
    expect(byName.plans.freshness).toBeNull();
  });

  it('lets the root project override a package var, globally or scoped to the package', async () => {
    const project = await loadProject(path.join(fixtures, 'toolkit_demo'));
    // Global root var: seen by every package's nodes, over the package's own default (4).
    expect(resolveVar(project, 'toolkit_pkg', 'toolkit_money_precision')).toEqual({ found: true, value: 2 });
    expect(resolveVar(project, 'toolkit_demo', 'toolkit_money_precision')).toEqual({ found: true, value: 2 });
    // Scoped under `toolkit_pkg:`: only the package's nodes see the override (default 10).
    expect(resolveVar(project, 'toolkit_pkg', 'toolkit_number_count')).toEqual({ found: true, value: 5 });
    expect(resolveVar(project, 'toolkit_demo', 'toolkit_number_count')).toEqual({
      found: false,
      value: undefined,
    });
    expect(resolveVar(project, 'toolkit_demo', 'start_date')).toEqual({ found: true, value: '2024-01-01' });
  });

  it('carries the custom and namespaced generic tests', async () => {
    const project = await loadProject(path.join(fixtures, 'toolkit_demo'));
    const tests = project.models.flatMap((m) => (m.properties?.columns ?? []).flatMap((c) => c.tests));
    expect(
      tests.filter((t) => t.namespace === 'toolkit_pkg').map((t) => [t.testName, t.columnName, t.config]),
    ).toEqual([
      ['toolkit_pkg.is_positive', 'event_count', {}],
      ['toolkit_pkg.is_positive', 'purchase_total', { severity: 'warn' }],
    ]);
    expect(tests.find((t) => t.name === 'spend_segment_is_known')).toMatchObject({
      testName: 'accepted_values',
      args: { values: ['high', 'medium', 'low'] },
    });
    expect(tests.some((t) => t.testName === 'not_empty_string')).toBe(true);
  });
});
