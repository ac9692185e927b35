/**
 * `transaction: false` hooks handed straight to a materialization (`materializationFor(...).run`):
 * they run around the whole build, which for a microbatch model is several transactions, and a
 * build's statements list them where they ran.
 */
import type { BuildHook } from '../../src/materialize';
import { materializationFor } from '../../src/materialize';
import { qualify } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';
import { failure, request } from './helpers';

describe('hooks outside the transaction, on the materializations', () => {
  let t: TestWarehouse;
  let log: string;
  beforeAll(async () => {
    t = await openTestWarehouse();
    log = qualify(t.schema, 'hook_log');
    await t.wh.query(`create table ${log} (seq serial primary key, event text, tx bigint)`);
  });
  afterAll(() => t?.cleanup());

  const insert = (event: string) => `insert into ${log} (event, tx) values ('${event}', txid_current())`;
  const outside = (sql: string, name?: string): BuildHook => ({ sql, transaction: false, name });
  const takeLog = async () => {
    const { rows } = await t.wh.query<{ event: string; tx: string }>(
      `select event, tx::text as tx from ${log} order by seq`,
    );
    await t.wh.query(`truncate ${log}`);
    return rows.map((r) => ({ event: r.event, tx: Number(r.tx) }));
  };

  it('a microbatch model: before the first batch’s transaction and after the last one commits', async () => {
    const name = 'mb';
    const spec = request(t.wh, t.schema, {
      name,
      materialized: 'incremental',
      config: {
        incremental_strategy: 'microbatch',
        event_time: 'ts',
        batch_size: 'year',
        begin: '2024-01-01',
      },
      now: new Date('2026-06-01T00:00:00Z'),
      sql: ({ batch }) => `select 1 as id, '${(batch?.start ?? new Date(0)).toISOString()}'::timestamp as ts`,
    });
    // The first build is one table build; the second runs the last batches, one transaction each.
    await materializationFor('incremental').run(spec);
    const result = await materializationFor('incremental').run({
      ...spec,
      preHooks: [outside(insert('before')), insert('pre')],
      postHooks: [
        insert('post'),
        outside(`vacuum analyze ${qualify(t.schema, name)}`),
        outside(insert('after')),
      ],
    });
    expect(result.kind).toBe('incremental');
    expect(result.batches!.length).toBeGreaterThan(1);
    const events = await takeLog();
    expect(events.map((e) => e.event)).toEqual(['before', 'pre', 'post', 'after']);
    const [before, pre, post, after] = events.map((e) => e.tx);
    // Pre-hooks in the first batch's transaction, post-hooks in the last one's, the others outside both.
    expect(before).toBeLessThan(pre);
    expect(pre).toBeLessThan(post);
    expect(post).toBeLessThan(after);
    const sql = result.statements.map((s) => s.sql);
    expect(sql[0]).toBe(insert('before'));
    expect(sql.slice(-2)).toEqual([`vacuum analyze ${qualify(t.schema, name)}`, insert('after')]);
  });

  it('a failing outside pre-hook stops the build before it begins', async () => {
    const error = await failure(
      materializationFor('table').run({
        ...request(t.wh, t.schema, { name: 'never_built', materialized: 'table', sql: 'select 1 as x' }),
        preHooks: [outside('select 1 / 0', 'models/never_built.sql (pre-hook 1)'), insert('pre')],
      }),
    );
    expect(error.message).toMatch(
      /^models\/never_built\.sql \(pre-hook 1\), which runs outside .* before the build began/,
    );
    expect(await t.wh.getRelation(t.schema, 'never_built')).toBeNull();
    expect(await takeLog()).toEqual([]);
  });

  it('without outside hooks a build runs as before, its hooks inside its transaction', async () => {
    const result = await materializationFor('view').run({
      ...request(t.wh, t.schema, { name: 'v', materialized: 'view', sql: 'select 1 as x' }),
      preHooks: [insert('pre')],
      postHooks: [{ sql: insert('post'), transaction: true }],
    });
    expect(result.statements[0].sql).toBe(insert('pre'));
    const events = await takeLog();
    expect(events.map((e) => e.event)).toEqual(['pre', 'post']);
    expect(events[0].tx).toBe(events[1].tx);
  });
});
