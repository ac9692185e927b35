import { addBatches, floorTo, planBatches } from '../../src/materialize/incremental/batches';
import { batchWindow } from '../../src/materialize';
import { qualify } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';
import { build, failure, multiset, rng, type ModelSpec } from './helpers';

const d = (iso: string) => new Date(iso);
const iso = (b: { start: Date; end: Date }) => `${b.start.toISOString()}..${b.end.toISOString()}`;

describe('batches (pure)', () => {
  it('aligns to hour, day, month and year boundaries in UTC', () => {
    const at = d('2024-03-15T13:45:10Z');
    expect(floorTo(at, 'hour').toISOString()).toBe('2024-03-15T13:00:00.000Z');
    expect(floorTo(at, 'day').toISOString()).toBe('2024-03-15T00:00:00.000Z');
    expect(floorTo(at, 'month').toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(floorTo(at, 'year').toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(addBatches(d('2024-01-01T00:00:00Z'), 'month', 13).toISOString()).toBe('2025-02-01T00:00:00.000Z');
    expect(planBatches('month', d('2024-01-01T00:00:00Z'), d('2024-03-10T00:00:00Z')).map(iso)).toEqual([
      '2024-01-01T00:00:00.000Z..2024-02-01T00:00:00.000Z',
      '2024-02-01T00:00:00.000Z..2024-03-01T00:00:00.000Z',
      '2024-03-01T00:00:00.000Z..2024-04-01T00:00:00.000Z',
    ]);
    expect(planBatches('hour', d('2024-01-01T10:30:00Z'), d('2024-01-01T12:00:00Z')).map(iso)).toEqual([
      '2024-01-01T10:00:00.000Z..2024-01-01T11:00:00.000Z',
      '2024-01-01T11:00:00.000Z..2024-01-01T12:00:00.000Z',
    ]);
  });

  it('picks the current batch plus lookback, or begin on a first build', () => {
    const settings = {
      eventTime: 'ts',
      batchSize: 'day' as const,
      lookback: 2,
      begin: d('2024-01-01T00:00:00Z'),
    };
    const now = d('2024-01-10T08:00:00Z');
    const inc = batchWindow({ mode: 'incremental', settings, now, model: 'm' });
    expect(planBatches('day', inc.start, inc.end).map((b) => b.start.toISOString().slice(0, 10))).toEqual([
      '2024-01-08',
      '2024-01-09',
      '2024-01-10',
    ]);
    const full = batchWindow({ mode: 'full', settings, now, model: 'm' });
    expect(planBatches('day', full.start, full.end)).toHaveLength(10);
    expect(() =>
      batchWindow({ mode: 'full', settings: { ...settings, begin: undefined }, now, model: 'm' }),
    ).toThrow(/needs `begin`/);
  });
});

describe('microbatch on a warehouse', () => {
  let t: TestWarehouse;
  beforeAll(async () => {
    t = await openTestWarehouse();
  });
  afterAll(() => t?.cleanup());

  async function setup(name: string, eventType = 'timestamp') {
    const src = qualify(t.schema, `${name}_events`);
    await t.wh.query(`create table ${src} (id int, ts ${eventType}, v int)`);
    const compiled: string[] = [];
    const spec: ModelSpec = {
      name,
      materialized: 'incremental',
      config: {
        incremental_strategy: 'microbatch',
        event_time: 'ts',
        batch_size: 'day',
        begin: '2024-01-01',
      },
      sql: ({ batch }) => {
        const where = batch
          ? ` where ts >= '${batch.start.toISOString()}' and ts < '${batch.end.toISOString()}'`
          : '';
        compiled.push(where);
        return `select id, ts, v from ${src}${where}`;
      },
    };
    return { src, spec, compiled };
  }

  it('builds every batch from begin, then reprocesses only the current batch and the lookback', async () => {
    const { src, spec, compiled } = await setup('mb');
    await t.wh.query(
      `insert into ${src} values (1, '2024-01-01 05:00', 1), (2, '2024-01-03 10:00', 2), (3, '2024-01-05 01:00', 3)`,
    );
    const now = d('2024-01-05T12:00:00Z');
    const first = await build(t.wh, t.schema, { ...spec, now });
    expect(first.kind).toBe('full');
    expect(first.batches?.map((b) => `${b.start.slice(0, 10)}:${b.rows}`)).toEqual([
      '2024-01-01:1',
      '2024-01-02:0',
      '2024-01-03:1',
      '2024-01-04:0',
      '2024-01-05:1',
    ]);
    expect(compiled).toHaveLength(5);

    // A late row for Jan 2 (outside the lookback), rows for Jan 4 and 5 (inside it).
    await t.wh.query(
      `insert into ${src} values (4, '2024-01-02 03:00', 4), (5, '2024-01-04 23:59:59', 5), (6, '2024-01-05 11:00', 6)`,
    );
    compiled.length = 0;
    const second = await build(t.wh, t.schema, { ...spec, now });
    expect(second.kind).toBe('incremental');
    expect(second.batches).toEqual([
      { start: '2024-01-04T00:00:00.000Z', end: '2024-01-05T00:00:00.000Z', rows: 1 },
      { start: '2024-01-05T00:00:00.000Z', end: '2024-01-06T00:00:00.000Z', rows: 2 },
    ]);
    expect(second.rowsAffected).toBe(3);
    expect(second.statements.filter((s) => /^delete from/.test(s.sql))).toHaveLength(2);
    expect(second.statements.filter((s) => /^insert into/.test(s.sql)).map((s) => s.rowCount)).toEqual([
      1, 2,
    ]);
    expect(compiled).toHaveLength(2);
    expect((await multiset(t.wh, t.schema, 'mb', 'id')).join()).toBe(
      '{"id":1},{"id":2},{"id":3},{"id":5},{"id":6}',
    );

    // Only the batch asked for is reprocessed.
    const third = await build(t.wh, t.schema, {
      ...spec,
      now,
      eventTimeStart: d('2024-01-02T00:00:00Z'),
      eventTimeEnd: d('2024-01-03T00:00:00Z'),
    });
    expect(third.batches).toEqual([
      { start: '2024-01-02T00:00:00.000Z', end: '2024-01-03T00:00:00.000Z', rows: 1 },
    ]);
    expect(await multiset(t.wh, t.schema, 'mb')).toEqual(await multiset(t.wh, t.schema, 'mb_events'));
  });

  it('replaces exactly its own time range', async () => {
    const { src, spec } = await setup('mb_range');
    await t.wh.query(`insert into ${src} values (1, '2024-01-01 00:00', 1), (2, '2024-01-02 00:00', 2)`);
    const now = d('2024-01-02T12:00:00Z');
    await build(t.wh, t.schema, { ...spec, now });
    // Rows written outside the model: one just before Jan 2, one at Jan 3 00:00 (the next batch).
    const target = qualify(t.schema, 'mb_range');
    await t.wh.query(
      `insert into ${target} values (90, '2024-01-01 23:59:59.999999', 0), (91, '2024-01-03 00:00', 0)`,
    );
    await build(t.wh, t.schema, { ...spec, now, config: { ...spec.config, lookback: 0 } });
    expect((await multiset(t.wh, t.schema, 'mb_range', 'id')).join()).toBe(
      '{"id":1},{"id":2},{"id":90},{"id":91}',
    );
  });

  it('keeps committed batches when a later batch fails and names the failed one', async () => {
    const { src, spec } = await setup('mb_fail');
    await t.wh.query(`insert into ${src} values (1, '2024-01-01 01:00', 1)`);
    const now = d('2024-01-02T12:00:00Z');
    await build(t.wh, t.schema, { ...spec, now });
    await t.wh.query(`insert into ${src} values (2, '2024-01-01 02:00', 2), (3, '2024-01-02 02:00', 3)`);
    const failing: ModelSpec = {
      ...spec,
      sql: (opts) => {
        const sql = (spec.sql as (o: typeof opts) => string)(opts);
        return opts.batch && opts.batch.start.getUTCDate() === 2 ? `${sql} and 1/0 = 1` : sql;
      },
    };
    const err = await failure(build(t.wh, t.schema, { ...failing, now }));
    expect(err.message).toMatch(
      /batch 2024-01-02T00:00:00.000Z .. 2024-01-03T00:00:00.000Z failed \(1 of 2 batches committed\)/,
    );
    expect(err.data?.completedBatches).toHaveLength(1);
    expect((await multiset(t.wh, t.schema, 'mb_fail', 'id')).join()).toBe('{"id":1},{"id":2}');
  });

  it('works on date and timestamptz event times', async () => {
    for (const type of ['date', 'timestamptz']) {
      const { src, spec } = await setup(`mb_${type}`, type);
      await t.wh.query(`insert into ${src} values (1, '2024-01-01', 1), (2, '2024-01-02', 2)`);
      const now = d('2024-01-02T12:00:00Z');
      await build(t.wh, t.schema, { ...spec, now });
      await t.wh.query(`insert into ${src} values (3, '2024-01-02', 3)`);
      const r = await build(t.wh, t.schema, { ...spec, now, config: { ...spec.config, lookback: 0 } });
      expect(r.batches).toEqual([
        { start: '2024-01-02T00:00:00.000Z', end: '2024-01-03T00:00:00.000Z', rows: 2 },
      ]);
      expect(await multiset(t.wh, t.schema, `mb_${type}`)).toEqual(
        await multiset(t.wh, t.schema, `mb_${type}_events`),
      );
    }
  });

  it('equivalence: late events within the lookback end up exactly as a full refresh builds them', async () => {
    const { src, spec } = await setup('mb_prop');
    const random = rng(4242);
    const cfg = { ...spec.config, lookback: 2 };
    let id = 1;
    for (let day = 5; day <= 12; day++) {
      const now = d(
        `2024-01-${String(day).padStart(2, '0')}T${String(Math.floor(random() * 24)).padStart(2, '0')}:00:00Z`,
      );
      // Events up to `lookback` days late, plus updates of recent events.
      for (let i = 0; i < 1 + Math.floor(random() * 6); i++) {
        const ts = new Date(
          now.getTime() - Math.floor(random() * 2 * 86_400_000 + random() * (now.getUTCHours() * 3_600_000)),
        );
        await t.wh.query(`insert into ${src} values ($1, $2, $3)`, [
          id++,
          ts.toISOString().replace('Z', ''),
          Math.floor(random() * 9),
        ]);
      }
      await t.wh.query(`update ${src} set v = v + 1 where ts >= $1`, [
        new Date(now.getTime() - 86_400_000).toISOString().replace('Z', ''),
      ]);
      await build(t.wh, t.schema, { ...spec, config: cfg, now });
      await build(t.wh, t.schema, { ...spec, name: 'mb_prop_ref', config: cfg, now, fullRefresh: true });
      expect(await multiset(t.wh, t.schema, 'mb_prop')).toEqual(
        await multiset(t.wh, t.schema, 'mb_prop_ref'),
      );
    }
  });
});
