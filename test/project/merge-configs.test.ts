import { defaultConfig, mergeConfigs, normalizeConfigKey } from '../../src/project';

describe('mergeConfigs', () => {
  it('overrides plain keys with the deeper layer', () => {
    expect(mergeConfigs({ materialized: 'view', schema: 'a' }, { materialized: 'table' })).toEqual({
      materialized: 'table',
      schema: 'a',
    });
  });

  it('accumulates tags and hooks, deduplicated in order', () => {
    const merged = mergeConfigs(
      { tags: ['a', 'b'], pre_hook: ['grant 1'] },
      { '+tags': ['b', 'c'], 'pre-hook': 'grant 2', '+post-hook': ['analyze {{ this }}'] },
    );
    expect(merged).toEqual({
      tags: ['a', 'b', 'c'],
      pre_hook: ['grant 1', 'grant 2'],
      post_hook: ['analyze {{ this }}'],
    });
  });

  it('keeps a hook written as {sql, transaction: false} with its flag, and a transactional one as its SQL', () => {
    expect(
      mergeConfigs(
        {},
        {
          post_hook: [
            { sql: 'vacuum', transaction: false },
            { sql: 'grant', transaction: true },
          ],
        },
      ),
    ).toEqual({ post_hook: [{ sql: 'vacuum', transaction: false }, 'grant'] });
  });

  it('deduplicates hooks by SQL and flag: the same SQL outside the transaction is another hook', () => {
    const outside = { sql: 'vacuum', transaction: false };
    const merged = mergeConfigs(
      mergeConfigs({ post_hook: ['vacuum', outside] }, { 'post-hook': [outside, 'vacuum'] }),
      { post_hook: { sql: 'vacuum', transaction: 'False', index: 3 } },
    );
    expect(merged.post_hook).toEqual(['vacuum', outside, { sql: 'vacuum', transaction: false, index: 3 }]);
  });

  it('merges meta key by key, deeper keys winning, one level deep as dbt', () => {
    const merged = mergeConfigs(
      { meta: { owner: 'a', team: 'x', nested: { p: 1 } } },
      { meta: { owner: 'b', nested: { q: 2 } } },
    );
    expect(merged.meta).toEqual({ owner: 'b', team: 'x', nested: { q: 2 } });
  });

  it('keeps the base for undefined and replaces with null', () => {
    expect(mergeConfigs({ schema: 'a', alias: 'b' }, { schema: undefined, alias: null })).toEqual({
      schema: 'a',
      alias: null,
    });
  });

  it('does not modify its arguments', () => {
    const base = { tags: ['a'], meta: { x: 1 } };
    const over = { tags: ['b'], meta: { y: 2 } };
    mergeConfigs(base, over);
    expect(base).toEqual({ tags: ['a'], meta: { x: 1 } });
    expect(over).toEqual({ tags: ['b'], meta: { y: 2 } });
  });

  it('normalizes key spellings', () => {
    expect(normalizeConfigKey('+pre-hook')).toBe('pre_hook');
    expect(normalizeConfigKey('post-hook')).toBe('post_hook');
    expect(normalizeConfigKey('+materialized')).toBe('materialized');
  });

  it('gives each kind its defaults', () => {
    expect(defaultConfig('model')).toMatchObject({ enabled: true, materialized: 'view', tags: [], meta: {} });
    expect(defaultConfig('seed').materialized).toBe('seed');
    expect(defaultConfig('test')).toMatchObject({ materialized: 'test', severity: 'ERROR' });
    expect(defaultConfig('snapshot').materialized).toBe('snapshot');
  });
});
