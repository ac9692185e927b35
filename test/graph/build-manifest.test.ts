import { MartqlError } from '../../src/errors';
import { buildManifest } from '../../src/graph/build-manifest';
import type { ParsedNode } from '../../src/graph/types';
import type { SourceTable } from '../../src/project/types';
import { node, source } from './helpers';

function build(nodes: ParsedNode[], sources: SourceTable[] = []) {
  return buildManifest({ nodes, sources, macros: [], rootPackage: 'proj' });
}

function caught(fn: () => unknown): MartqlError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MartqlError) return err;
    throw err;
  }
  throw new Error('expected a MartqlError');
}

describe('buildManifest: edges', () => {
  it('resolves refs and sources into dependsOn, parents and children', () => {
    const m = build(
      [node({ name: 'stg', sources: ['raw.orders'] }), node({ name: 'mart', refs: ['stg', 'stg'] })],
      [source('raw', 'orders')],
    );
    expect(m.nodes.get('model.proj.mart')!.dependsOn).toEqual(['model.proj.stg']);
    expect(m.parents.get('model.proj.stg')).toEqual(['source.proj.raw.orders']);
    expect(m.children.get('source.proj.raw.orders')).toEqual(['model.proj.stg']);
    expect(m.children.get('model.proj.stg')).toEqual(['model.proj.mart']);
    expect(m.parents.get('source.proj.raw.orders')).toEqual([]);
    expect(m.rootPackage).toBe('proj');
  });

  it('resolves ref() in the own package first, then the root project, then a unique package', () => {
    const m = build([
      node({ name: 'dim', package: 'proj' }),
      node({ name: 'dim', package: 'lib' }),
      node({ name: 'only_in_util', package: 'util' }),
      node({ name: 'lib_user', package: 'lib', refs: ['dim'] }),
      node({ name: 'util_user', package: 'util', refs: ['dim', 'only_in_util'] }),
      node({ name: 'root_user', refs: ['dim', 'only_in_util'] }),
      node({ name: 'explicit', refs: [{ name: 'dim', package: 'lib' }] }),
    ]);
    expect(m.nodes.get('model.lib.lib_user')!.dependsOn).toEqual(['model.lib.dim']);
    expect(m.nodes.get('model.util.util_user')!.dependsOn).toEqual([
      'model.proj.dim',
      'model.util.only_in_util',
    ]);
    expect(m.nodes.get('model.proj.root_user')!.dependsOn).toEqual([
      'model.proj.dim',
      'model.util.only_in_util',
    ]);
    expect(m.nodes.get('model.proj.explicit')!.dependsOn).toEqual(['model.lib.dim']);
  });

  it('rejects an unqualified ref found only in several non-root packages', () => {
    const err = caught(() =>
      build([
        node({ name: 'x', package: 'a' }),
        node({ name: 'x', package: 'b' }),
        node({ name: 'u', refs: ['x'] }),
      ]),
    );
    expect(err.code).toBe('UNKNOWN_REF');
    expect(err.message).toMatch(/several packages/);
    expect(err.hint).toMatch(/ref\('a', 'x'\)/);
  });

  it('refs seeds and snapshots but not tests or analyses', () => {
    const m = build([node({ name: 'countries', type: 'seed' }), node({ name: 'm', refs: ['countries'] })]);
    expect(m.nodes.get('model.proj.m')!.dependsOn).toEqual(['seed.proj.countries']);
    const err = caught(() =>
      build([node({ name: 'a', type: 'analysis' }), node({ name: 'm', refs: ['a'] })]),
    );
    expect(err.code).toBe('UNKNOWN_REF');
  });

  it('resolves versioned refs by config.version or an m_v<n> name, latest by default', () => {
    const m = build(
      [
        node({ name: 'dim', config: { version: 1 } }),
        node({ name: 'dim', config: { version: 2 } }),
        node({ name: 'fct_v3' }),
        node({ name: 'fct_v4' }),
        node({ name: 'u1', refs: [{ name: 'dim', version: 1 }] }),
        node({ name: 'u2', refs: ['dim'] }),
        node({ name: 'u3', refs: [{ name: 'fct', version: '4' }] }),
      ].map((n) =>
        n.config.version !== undefined ? { ...n, uniqueId: `${n.uniqueId}.v${n.config.version}` } : n,
      ),
    );
    expect(m.nodes.get('model.proj.u1')!.dependsOn).toEqual(['model.proj.dim.v1']);
    expect(m.nodes.get('model.proj.u2')!.dependsOn).toEqual(['model.proj.dim.v2']);
    expect(m.nodes.get('model.proj.u3')!.dependsOn).toEqual(['model.proj.fct_v4']);
  });

  it('keeps attachedNode and makes tests depend on what they test', () => {
    const m = build([
      node({ name: 'orders' }),
      node({ name: 'customers' }),
      node({
        name: 'relationships_orders_customer_id',
        type: 'test',
        refs: ['orders', 'customers'],
        attachedNode: 'model.proj.orders',
        testName: 'relationships',
        columnName: 'customer_id',
      }),
    ]);
    const t = m.nodes.get('test.proj.relationships_orders_customer_id')!;
    expect(t.dependsOn).toEqual(['model.proj.orders', 'model.proj.customers']);
    expect(t.attachedNode).toBe('model.proj.orders');
    expect(m.children.get('model.proj.customers')).toEqual([t.uniqueId]);
  });
});

describe('buildManifest: errors', () => {
  it('names the file, line, missing name and closest model for an unknown ref', () => {
    const rawCode =
      "{{ config(materialized='table') }}\nwith o as (\n  select * from {{ ref('stg_ordrs') }}\n)\nselect 1";
    const err = caught(() =>
      build([
        node({ name: 'stg_orders' }),
        node({ name: 'mart', refs: ['stg_ordrs'], folder: 'marts', rawCode }),
      ]),
    );
    expect(err.code).toBe('UNKNOWN_REF');
    expect(err.location).toEqual({ file: 'models/marts/mart.sql', line: 3, column: 20 });
    expect(err.message).toContain("'stg_ordrs'");
    expect(err.message).toContain('model.proj.mart');
    expect(err.hint).toBe("did you mean 'stg_orders'?");
    expect(err.where).toBe('models/marts/mart.sql:3:20');
  });

  it('finds the line of a two-argument ref and falls back to the declaration without one', () => {
    const err = caught(() =>
      build([
        node({ name: 'm', refs: [{ name: 'zzz', package: 'lib' }], rawCode: "\n\n{{ ref('lib', 'zzz') }}" }),
      ]),
    );
    expect(err.location?.line).toBe(3);
    const test = node({ name: 't', type: 'test', refs: ['nope'], rawCode: '{{ test_not_null(**kwargs) }}' });
    test.location = { file: 'models/schema.yml', line: 12 };
    expect(caught(() => build([test])).location).toEqual({ file: 'models/schema.yml', line: 12 });
  });

  it('says a ref points at a disabled model', () => {
    const err = caught(() =>
      build([node({ name: 'old', config: { enabled: false } }), node({ name: 'm', refs: ['old'] })]),
    );
    expect(err.code).toBe('UNKNOWN_REF');
    expect(err.message).toMatch(/'old', which is disabled/);
  });

  it('excludes disabled nodes and silently disables tests on them', () => {
    const m = build([
      node({ name: 'old', config: { enabled: false } }),
      node({ name: 'not_null_old_id', type: 'test', refs: ['old'], attachedNode: 'model.proj.old' }),
      node({ name: 'm' }),
    ]);
    expect([...m.nodes.keys()]).toEqual(['model.proj.m']);
    expect([...m.disabled!.keys()].sort()).toEqual(['model.proj.old', 'test.proj.not_null_old_id']);
  });

  it('reports an unknown source with line and hint', () => {
    const err = caught(() =>
      build(
        [node({ name: 'stg', sources: ['raw.ordrs'] })],
        [source('raw', 'orders'), source('raw', 'customers')],
      ),
    );
    expect(err.code).toBe('UNKNOWN_SOURCE');
    expect(err.location).toEqual({ file: 'models/stg.sql', line: 1, column: 18 });
    expect(err.message).toContain("'raw.ordrs'");
    expect(err.hint).toBe("did you mean 'raw.orders'?");
  });

  it('reports a disabled source', () => {
    const err = caught(() =>
      build(
        [node({ name: 'stg', sources: ['raw.orders'] })],
        [source('raw', 'orders', { config: { enabled: false } })],
      ),
    );
    expect(err.code).toBe('UNKNOWN_SOURCE');
    expect(err.message).toMatch(/disabled/);
  });

  it('rejects duplicate ids and duplicate names within a package', () => {
    expect(caught(() => build([node({ name: 'a' }), node({ name: 'a' })])).code).toBe('DUPLICATE_NODE');
    const err = caught(() => build([node({ name: 'a' }), node({ name: 'a', type: 'seed' })]));
    expect(err.code).toBe('DUPLICATE_NODE');
    expect(() => build([node({ name: 'a' }), node({ name: 'a', config: { enabled: false } })])).not.toThrow();
  });

  it('names the cycle', () => {
    const err = caught(() =>
      build([
        node({ name: 'a', refs: ['c'] }),
        node({ name: 'b', refs: ['a'] }),
        node({ name: 'c', refs: ['b'] }),
        node({ name: 'd', refs: ['c'] }),
      ]),
    );
    expect(err.code).toBe('CYCLE');
    expect(err.message).toBe('Found a cycle: a -> b -> c -> a');
    expect(err.data?.cycle).toEqual(['model.proj.a', 'model.proj.b', 'model.proj.c']);
  });

  it('names a self-reference and qualifies non-root packages', () => {
    const err = caught(() => build([node({ name: 'x', package: 'lib', refs: ['x'] })]));
    expect(err.message).toBe('Found a cycle: lib.x -> lib.x');
  });
});

describe('buildManifest: scale', () => {
  const chain = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      node({ name: `m${String(i).padStart(5, '0')}`, refs: i ? [`m${String(i - 1).padStart(5, '0')}`] : [] }),
    );

  it('builds a 10,000-node chain without overflowing the stack', () => {
    const m = build(chain(10_000));
    expect(m.nodes.size).toBe(10_000);
  });

  it('finds a cycle closed at the end of a 10,000-node chain', () => {
    const nodes = chain(10_000);
    nodes[0] = node({ name: 'm00000', refs: ['m09999'] });
    const err = caught(() => build(nodes));
    expect(err.code).toBe('CYCLE');
    expect((err.data?.cycle as string[]).length).toBe(10_000);
    expect(err.message.startsWith('Found a cycle: m00000 -> m00001 -> ')).toBe(true);
    expect(err.message.endsWith('m09999 -> m00000')).toBe(true);
  });

  it('reports only the cycle, not the nodes downstream of it', () => {
    const nodes = chain(10_000);
    nodes.push(
      node({ name: 'loop_a', refs: ['m09999', 'loop_b'] }),
      node({ name: 'loop_b', refs: ['loop_a'] }),
    );
    const err = caught(() => build(nodes));
    expect(err.data?.cycle).toEqual(['model.proj.loop_a', 'model.proj.loop_b']);
  });
});
