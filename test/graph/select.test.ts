import { MartqlError } from '../../src/errors';
import { buildManifest } from '../../src/graph/build-manifest';
import { select, type SelectOptions } from '../../src/graph/selector/select';
import { parseCriterion } from '../../src/graph/selector/parse';
import { ids, node, source } from './helpers';

/*
 * raw.orders ─> stg_orders ─> int_orders ─> fct_orders ─> rpt_daily
 * raw.customers ─> stg_customers ───────────┘
 * lib.dim_calendar (package lib) ─> fct_orders
 * tests: not_null_stg_orders_id (on stg_orders), relationships_fct_customers (fct_orders + stg_customers),
 *        assert_positive (singular, on fct_orders), source_not_null (on raw.orders)
 */
const manifest = buildManifest({
  rootPackage: 'proj',
  macros: [],
  sources: [
    source('raw', 'orders', { tags: ['pii'] }),
    source('raw', 'customers'),
    source('events', 'clicks'),
  ],
  nodes: [
    node({
      name: 'stg_orders',
      folder: 'staging',
      sources: ['raw.orders'],
      config: { tags: ['daily', 'staging'] },
    }),
    node({
      name: 'stg_customers',
      folder: 'staging',
      sources: ['raw.customers'],
      config: { tags: ['staging'] },
    }),
    node({
      name: 'int_orders',
      folder: 'intermediate',
      refs: ['stg_orders'],
      config: { materialized: 'ephemeral' },
    }),
    node({ name: 'dim_calendar', package: 'lib', config: { materialized: 'table' } }),
    node({
      name: 'fct_orders',
      folder: 'marts/finance',
      refs: ['int_orders', 'stg_customers', 'dim_calendar'],
      config: {
        materialized: 'incremental',
        tags: ['daily'],
        meta: { owner: 'finance' },
        unique_key: ['id', 'day'],
      },
    }),
    node({
      name: 'rpt_daily',
      folder: 'marts',
      refs: ['fct_orders'],
      config: { materialized: 'table', group: 'bi' },
    }),
    node({ name: 'country_codes', type: 'seed' }),
    node({
      name: 'not_null_stg_orders_id',
      type: 'test',
      refs: ['stg_orders'],
      testName: 'not_null',
      columnName: 'id',
    }),
    node({
      name: 'relationships_fct_customers',
      type: 'test',
      refs: ['fct_orders', 'stg_customers'],
      testName: 'relationships',
    }),
    node({ name: 'assert_positive', type: 'test', refs: ['fct_orders'] }),
    node({
      name: 'source_not_null_raw_orders_id',
      type: 'test',
      sources: ['raw.orders'],
      testName: 'not_null',
    }),
  ],
});

const sel = (select: string | string[], extra: Omit<SelectOptions, 'select'> = {}) =>
  ids(select_(Array.isArray(select) ? select : [select], extra))
    .map((id) => id.split('.').slice(2).join('.'))
    .sort();
const select_ = (s: string[], extra: Omit<SelectOptions, 'select'>) =>
  select(manifest, { select: s, indirectSelection: 'empty', ...extra });

function selectorError(fn: () => unknown): MartqlError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MartqlError) return err;
    throw err;
  }
  throw new Error('expected a SELECTOR error');
}

describe('selector methods', () => {
  it('matches names, wildcards, fqn prefixes and paths by default', () => {
    expect(sel('stg_orders')).toEqual(['stg_orders']);
    expect(sel('stg_*')).toEqual(['stg_customers', 'stg_orders']);
    expect(sel('*_orders')).toEqual(['fct_orders', 'int_orders', 'stg_orders']);
    expect(sel('proj.marts')).toEqual(['fct_orders', 'rpt_daily']);
    expect(sel('proj.marts.finance.fct_orders')).toEqual(['fct_orders']);
    expect(sel('proj.staging.*')).toEqual(['stg_customers', 'stg_orders']);
    expect(sel('lib')).toEqual(['dim_calendar']);
    expect(sel('models/staging')).toEqual(['stg_customers', 'stg_orders']);
    expect(sel('rpt_daily.sql')).toEqual(['rpt_daily']);
    expect(sel('nope')).toEqual([]);
  });

  it('supports the explicit methods', () => {
    expect(sel('name:int_orders')).toEqual(['int_orders']);
    expect(sel('fqn:proj.staging')).toEqual(['stg_customers', 'stg_orders']);
    expect(sel('tag:daily')).toEqual(['fct_orders', 'stg_orders']);
    expect(sel('tag:pii')).toEqual(['raw.orders']);
    expect(sel('path:models/marts')).toEqual(['fct_orders', 'rpt_daily']);
    expect(sel('path:models/marts/')).toEqual(['fct_orders', 'rpt_daily']);
    expect(sel('path:models/marts/rpt_daily.sql')).toEqual(['rpt_daily']);
    expect(sel('path:models/*/finance')).toEqual(['fct_orders']);
    expect(sel('file:rpt_daily.sql')).toEqual(['rpt_daily']);
    expect(sel('config.materialized:incremental')).toEqual(['fct_orders']);
    expect(sel('config.materialized:table')).toEqual(['dim_calendar', 'rpt_daily']);
    expect(sel('config.unique_key:day')).toEqual(['fct_orders']);
    expect(sel('config.meta.owner:finance')).toEqual(['fct_orders']);
    expect(sel('config.enabled:true').length).toBe(11);
    expect(sel('config.enabled:True').length).toBe(11);
    expect(sel('resource_type:seed')).toEqual(['country_codes']);
    expect(sel('resource_type:source')).toEqual(['events.clicks', 'raw.customers', 'raw.orders']);
    expect(sel('source:raw')).toEqual(['raw.customers', 'raw.orders']);
    expect(sel('source:raw.orders')).toEqual(['raw.orders']);
    expect(sel('source:proj.events.clicks')).toEqual(['events.clicks']);
    expect(sel('package:lib')).toEqual(['dim_calendar']);
    expect(sel('package:this').length).toBe(13);
    expect(sel('test_type:generic')).toEqual([
      'not_null_stg_orders_id',
      'relationships_fct_customers',
      'source_not_null_raw_orders_id',
    ]);
    expect(sel('test_type:singular')).toEqual(['assert_positive']);
    expect(sel('test_name:relationships')).toEqual(['relationships_fct_customers']);
    expect(sel('group:bi')).toEqual(['rpt_daily']);
  });

  it('unions spaces and list entries, intersects commas', () => {
    expect(sel('stg_orders rpt_daily')).toEqual(['rpt_daily', 'stg_orders']);
    expect(sel(['stg_orders', 'rpt_daily'])).toEqual(['rpt_daily', 'stg_orders']);
    expect(sel('tag:daily,path:models/staging')).toEqual(['stg_orders']);
    expect(sel('tag:daily,config.materialized:incremental tag:staging,stg_c*')).toEqual([
      'fct_orders',
      'stg_customers',
    ]);
    expect(sel('+fct_orders,resource_type:source')).toEqual(['raw.customers', 'raw.orders']);
  });

  it('selects everything when the selection is empty, and subtracts exclusions', () => {
    expect(select(manifest, {}).size).toBe(manifest.nodes.size + manifest.sources.size);
    expect(select(manifest, { select: ['  '] }).size).toBe(14);
    expect(sel('stg_*', { exclude: ['stg_customers'] })).toEqual(['stg_orders']);
    expect(sel('+rpt_daily', { exclude: ['resource_type:source', 'package:lib'] })).toEqual([
      'fct_orders',
      'int_orders',
      'rpt_daily',
      'stg_customers',
      'stg_orders',
    ]);
  });

  it('filters by resource type', () => {
    expect(sel('+fct_orders', { resourceTypes: ['model'] })).toEqual([
      'dim_calendar',
      'fct_orders',
      'int_orders',
      'stg_customers',
      'stg_orders',
    ]);
  });
});

describe('graph operators', () => {
  it('adds ancestors, descendants, and both', () => {
    expect(sel('+int_orders')).toEqual(['int_orders', 'raw.orders', 'stg_orders']);
    expect(sel('int_orders+')).toEqual([
      'assert_positive',
      'fct_orders',
      'int_orders',
      'relationships_fct_customers',
      'rpt_daily',
    ]);
    expect(sel('+int_orders+', { resourceTypes: ['model'] })).toEqual([
      'fct_orders',
      'int_orders',
      'rpt_daily',
      'stg_orders',
    ]);
    expect(sel('source:raw.orders+', { resourceTypes: ['model'] })).toEqual([
      'fct_orders',
      'int_orders',
      'rpt_daily',
      'stg_orders',
    ]);
  });

  it('limits depth with n+ and +n', () => {
    expect(sel('1+fct_orders')).toEqual(['dim_calendar', 'fct_orders', 'int_orders', 'stg_customers']);
    expect(sel('2+fct_orders')).toEqual([
      'dim_calendar',
      'fct_orders',
      'int_orders',
      'raw.customers',
      'stg_customers',
      'stg_orders',
    ]);
    expect(sel('stg_orders+1')).toEqual(['int_orders', 'not_null_stg_orders_id', 'stg_orders']);
    expect(sel('stg_orders+2', { resourceTypes: ['model'] })).toEqual([
      'fct_orders',
      'int_orders',
      'stg_orders',
    ]);
    expect(sel('0+stg_orders+0')).toEqual(['stg_orders']);
  });

  it('@ adds the ancestors of every descendant', () => {
    expect(sel('@stg_customers', { resourceTypes: ['model'] })).toEqual([
      'dim_calendar',
      'fct_orders',
      'int_orders',
      'rpt_daily',
      'stg_customers',
      'stg_orders',
    ]);
    expect(sel('@int_orders', { resourceTypes: ['source'] })).toEqual(['raw.customers', 'raw.orders']);
  });
});

describe('indirect test selection', () => {
  const tests = (s: string, mode: SelectOptions['indirectSelection'], exclude?: string[]) =>
    ids(select(manifest, { select: [s], exclude, indirectSelection: mode }))
      .filter((id) => id.startsWith('test.'))
      .map((id) => id.split('.')[2]);

  it('eager brings every test that touches a selected node', () => {
    expect(tests('fct_orders', 'eager')).toEqual(['assert_positive', 'relationships_fct_customers']);
    expect(tests('stg_customers', undefined)).toEqual(['relationships_fct_customers']);
  });

  it('cautious needs all of a test’s parents selected', () => {
    expect(tests('fct_orders', 'cautious')).toEqual(['assert_positive']);
    expect(tests('fct_orders stg_customers', 'cautious')).toEqual([
      'assert_positive',
      'relationships_fct_customers',
    ]);
  });

  it('buildable also accepts parents upstream of the selection', () => {
    expect(tests('fct_orders', 'buildable')).toEqual(['assert_positive', 'relationships_fct_customers']);
    expect(tests('stg_customers', 'buildable')).toEqual([]);
  });

  it('empty brings none', () => {
    expect(tests('fct_orders', 'empty')).toEqual([]);
    expect(tests('test_type:singular', 'empty')).toEqual(['assert_positive']);
  });

  it('excluding a node drops the tests on it, selected or not', () => {
    expect(tests('+fct_orders', 'eager', ['stg_customers'])).toEqual([
      'assert_positive',
      'not_null_stg_orders_id',
      'source_not_null_raw_orders_id',
    ]);
    expect(tests('resource_type:test', 'eager', ['stg_orders'])).toEqual([
      'assert_positive',
      'relationships_fct_customers',
      'source_not_null_raw_orders_id',
    ]);
    expect(tests('source:raw.orders', 'eager')).toEqual(['source_not_null_raw_orders_id']);
  });
});

describe('malformed selectors', () => {
  it.each([
    ['tag:', /has no value after 'tag:'/],
    ['+', /has no value/],
    ['@', /has no value/],
    ['bogus:x', /unknown method 'bogus'/],
    ['config:x', /needs a config key/],
    ['tag.x:y', /unknown method 'tag.x'/],
    ['@+x', /'@' with a '\+' prefix/],
    ['a,,b', /empty part/],
    ['resource_type:widget', /invalid value 'widget'/],
    ['test_type:smoke', /invalid value 'smoke'/],
  ])('rejects %s', (expr, message) => {
    const err = selectorError(() => select(manifest, { select: [expr] }));
    expect(err.code).toBe('SELECTOR');
    expect(err.message).toMatch(message);
    expect(err.message).toContain(expr.includes(',') ? expr : `'${expr}'`);
  });

  it('suggests the closest method and checks --exclude too', () => {
    expect(selectorError(() => select(manifest, { select: ['tags:x'] })).hint).toBe("did you mean 'tag:'?");
    expect(selectorError(() => select(manifest, { exclude: ['pth:x'] })).code).toBe('SELECTOR');
  });

  it('parses operators and depths', () => {
    expect(parseCriterion('2+config.materialized:view+3')).toMatchObject({
      method: 'config',
      methodArgs: ['materialized'],
      value: 'view',
      parents: true,
      parentsDepth: 2,
      children: true,
      childrenDepth: 3,
      childrensParents: false,
    });
    expect(parseCriterion('@x')).toMatchObject({ childrensParents: true, parents: false, value: 'x' });
  });
});
