/**
 * Reading `indexes`, `partition_by` and `analyze` (pure): what each accepted form means, and the
 * message of every mistake, which names the model and the key.
 */
import { readPhysicalConfig } from '../../src/physical';
import { boundsFor, rangeColumnKind } from '../../src/physical/partition-bounds';
import { createIndexSql } from '../../src/physical/index-config';
import type { NodeConfig } from '../../src/project/types';

const model = { schema: 'analytics', identifier: 'orders' };
const read = (config: Record<string, unknown>) => readPhysicalConfig(config as NodeConfig, model);
const error = (config: Record<string, unknown>): string => {
  try {
    read(config);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the config to be rejected');
};

describe('indexes', () => {
  it('reads columns, directions, uniqueness and types into CREATE INDEX statements', () => {
    const { indexes } = read({
      indexes: [
        { columns: ['customer_id'] },
        { columns: ['status', 'created_at DESC NULLS LAST'], unique: true },
        { columns: '"Mixed Case"', type: 'HASH' },
      ],
    });
    expect(indexes.map((i) => createIndexSql(i, '"analytics"."orders"', i.name))).toEqual([
      `create index "${indexes[0].name}" on "analytics"."orders" using btree ("customer_id")`,
      `create unique index "${indexes[1].name}" on "analytics"."orders" using btree ("status", "created_at" desc nulls last)`,
      `create index "${indexes[2].name}" on "analytics"."orders" using hash ("Mixed Case")`,
    ]);
    expect(indexes[0].name).toMatch(/^orders__customer_id__[0-9a-f]{8}$/);
    expect(indexes[2].name).toMatch(/^orders__mixed_case__[0-9a-f]{8}$/);
    expect(read({ indexes: [{ columns: ['a'] }, { columns: ['a'], type: 'btree' }] }).indexes).toHaveLength(
      1,
    );
    expect(read({}).indexes).toEqual([]);
  });

  it.each([
    [{ indexes: { columns: ['a'] } }, 'indexes must be a list of {columns, unique, type} mappings'],
    [{ indexes: ['a'] }, 'indexes[0] must be a mapping with `columns`'],
    [{ indexes: [{ columns: [] }] }, 'indexes[0] needs `columns`: a list of column names'],
    [{ indexes: [{ columns: ['lower(email)'] }] }, 'indexes: "lower(email)" is not a column name'],
    [{ indexes: [{ columns: ['a'], kind: 'gin' }] }, "indexes[0] has unknown key 'kind'"],
    [
      { indexes: [{ columns: ['a'], type: 'gist' }] },
      "indexes[0]: index type 'gist' is not supported (use btree, hash, gin, brin)",
    ],
    [
      { indexes: [{ columns: ['a'], unique: true, type: 'hash' }] },
      'indexes[0]: only btree indexes can be unique in Postgres, not hash',
    ],
    [{ indexes: [{ columns: ['a'], unique: 'yes' }] }, 'indexes[0]: unique must be true or false'],
    [
      { indexes: [{ columns: ['a', 'b'], type: 'hash' }] },
      'indexes[0]: a hash index covers one column in Postgres',
    ],
    [
      { indexes: [{ columns: ['a desc'], type: 'brin' }] },
      'indexes[0]: asc/desc and nulls first/last apply to btree indexes only',
    ],
  ])('rejects %j', (config, message) => {
    expect(error(config)).toBe(`analytics.orders: ${message}`);
  });
});

describe('partition_by', () => {
  it('reads range and list partitioning', () => {
    expect(
      read({ partition_by: { field: 'created_at', granularity: 'Month', data_type: 'timestamp' } }).partition,
    ).toEqual({
      kind: 'range',
      field: 'created_at',
      granularity: 'month',
    });
    expect(read({ partition_by: { field: 'region' } }).partition).toEqual({ kind: 'list', field: 'region' });
    expect(read({ partition_by: { field: 'region', values: ['eu', ['us', 'ca'], null] } }).partition).toEqual(
      {
        kind: 'list',
        field: 'region',
        values: [['eu'], ['us', 'ca'], [null]],
      },
    );
  });

  it.each([
    [{ partition_by: 'created_at' }, 'partition_by must be a mapping with `field`'],
    [{ partition_by: { granularity: 'day' } }, 'partition_by needs `field`: the column to partition on'],
    [
      { partition_by: { field: 'a', granularity: 'week' } },
      "partition_by.granularity 'week' is not one of day, month, year",
    ],
    [
      { partition_by: { field: 'a', granularity: 'day', values: ['x'] } },
      'partition_by takes either granularity (range partitions) or values (list partitions), not both',
    ],
    [{ partition_by: { field: 'a', values: [] } }, 'partition_by.values must be a non-empty list'],
    [{ partition_by: { field: 'a', values: ['x', ['y', 'x']] } }, 'partition_by.values lists "x" twice'],
    [
      { partition_by: { field: 'a', values: [{ x: 1 }] } },
      'partition_by.values: {"x":1} is not a single value',
    ],
    [{ partition_by: { field: 'a', range: {} } }, "partition_by has unknown key 'range'"],
    [
      { partition_by: { field: 'day', granularity: 'day' }, indexes: [{ columns: ['id'], unique: true }] },
      "the unique index on (id) must include the partition key 'day': Postgres checks uniqueness within each partition only",
    ],
  ])('rejects %j', (config, message) => {
    expect(error(config)).toBe(`analytics.orders: ${message}`);
  });

  it('accepts a unique index that includes the partition key', () => {
    const config = {
      partition_by: { field: 'day', granularity: 'day' },
      indexes: [{ columns: ['id', 'day'], unique: true }],
    };
    expect(read(config).indexes).toHaveLength(1);
  });
});

describe('partition bounds (pure)', () => {
  it('recognises the column types range partitioning can use', () => {
    expect(
      [
        'date',
        'timestamp without time zone',
        'timestamp(3) with time zone',
        'timestamptz',
        'integer',
        'text',
      ].map(rangeColumnKind),
    ).toEqual(['date', 'timestamp', 'timestamptz', 'timestamptz', null, null]);
  });

  it('derives names and bounds from the lower bounds the database reports', () => {
    const spec = { kind: 'range' as const, field: 'at', granularity: 'month' as const };
    const bounds = boundsFor('orders', spec, 'timestamptz', [
      { lo: '2024-12-01 00:00:00' },
      { lo: null },
      { lo: '2024-02-01 00:00:00' },
    ]);
    expect(bounds.map((b) => [b.name, b.clause])).toEqual([
      ['orders__p_202402', "for values from ('2024-02-01 00:00:00+00') to ('2024-03-01 00:00:00+00')"],
      ['orders__p_202412', "for values from ('2024-12-01 00:00:00+00') to ('2025-01-01 00:00:00+00')"],
      ['orders__p_default', 'default'],
    ]);
    const days = boundsFor('orders', { ...spec, granularity: 'day' }, 'date', [
      { lo: '2024-02-29 00:00:00' },
    ]);
    expect(days.map((b) => [b.name, b.clause])).toEqual([
      ['orders__p_20240229', "for values from ('2024-02-29') to ('2024-03-01')"],
    ]);
    const list = boundsFor('orders', { kind: 'list', field: 'r' }, null, [
      { v: "it's" },
      { v: null },
      { v: 'EU' },
      { v: 'eu' },
    ]);
    expect(list.map((b) => b.clause)).toEqual([
      "for values in ('EU')",
      "for values in ('eu')",
      "for values in ('it''s')",
      'for values in (null)',
    ]);
    expect(new Set(list.map((b) => b.name)).size).toBe(4);
    expect(list[3].name).toBe('orders__p_null');
  });
});
