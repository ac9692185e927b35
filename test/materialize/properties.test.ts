/**
 * Incremental equivalence, per strategy: a seeded generator appends, updates and re-sends rows of a
 * source table over several runs; after each run the incremental model must hold exactly the rows a
 * full-refresh build of the same data holds (compared as sorted multisets).
 */
import type { Warehouse } from '../../src/warehouse';
import { qualify } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';
import { build, multiset, rng } from './helpers';

let t: TestWarehouse;
beforeAll(async () => {
  t = await openTestWarehouse();
});
afterAll(() => t?.cleanup());

/** The warehouse as an older server would present itself (to exercise the pre-MERGE path). */
function olderServer(wh: Warehouse, version: number): Warehouse {
  return new Proxy(wh, {
    get(target, prop) {
      if (prop === 'serverVersionNum') return async () => version;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

interface Scenario {
  name: string;
  config: Record<string, unknown>;
  /** 'append' only adds rows; 'upsert' also updates and re-sends existing keys. */
  changes: 'append' | 'upsert';
  /** Composite key (a, b) instead of id. */
  composite?: boolean;
  afterFirstBuild?: (model: string) => Promise<void>;
  warehouse?: () => Warehouse;
  expectKind: 'append' | 'incremental';
}

const scenarios: Scenario[] = [
  { name: 'append', config: { incremental_strategy: 'append' }, changes: 'append', expectKind: 'append' },
  {
    name: 'delete+insert',
    config: { incremental_strategy: 'delete+insert', unique_key: 'id' },
    changes: 'upsert',
    expectKind: 'incremental',
  },
  {
    name: 'delete+insert, composite key',
    config: { incremental_strategy: 'delete+insert', unique_key: ['a', 'b'] },
    changes: 'upsert',
    composite: true,
    expectKind: 'incremental',
  },
  {
    name: 'merge (MERGE statement)',
    config: { incremental_strategy: 'merge', unique_key: 'id' },
    changes: 'upsert',
    expectKind: 'incremental',
  },
  {
    name: 'merge, composite key',
    config: { incremental_strategy: 'merge', unique_key: ['a', 'b'] },
    changes: 'upsert',
    composite: true,
    expectKind: 'incremental',
  },
  {
    name: 'merge (ON CONFLICT on a unique index)',
    config: { incremental_strategy: 'merge', unique_key: 'id' },
    changes: 'upsert',
    afterFirstBuild: async (model) => {
      await t.wh.query(`create unique index on ${model} (id)`);
    },
    expectKind: 'incremental',
  },
  {
    name: 'merge (UPDATE + INSERT on a server before 15)',
    config: { incremental_strategy: 'merge', unique_key: 'id' },
    changes: 'upsert',
    warehouse: () => olderServer(t.wh, 140011),
    expectKind: 'incremental',
  },
  {
    name: 'default strategy with unique_key (delete+insert)',
    config: { unique_key: 'id' },
    changes: 'upsert',
    expectKind: 'incremental',
  },
];

describe.each(scenarios)('incremental equivalence: $name', (scenario) => {
  it('matches a full refresh after every run', async () => {
    const slug = scenario.name.replace(/[^a-z]+/g, '_');
    const src = qualify(t.schema, `src_${slug}`);
    const wh = scenario.warehouse?.() ?? t.wh;
    await t.wh.query(`create table ${src} (id int, a int, b int, val int, updated_at int)`);
    const random = rng(slug.length * 7919 + 17);
    let nextId = 1;
    let tick = 1;
    const cols = 'id, a, b, val, updated_at';
    const model = (isIncremental: boolean) =>
      isIncremental
        ? `select ${cols} from ${src} where updated_at > (select coalesce(max(updated_at), 0) from ${qualify(t.schema, `inc_${slug}`)})`
        : `select ${cols} from ${src}`;
    const methods = new Set<string>();

    for (let run = 0; run < 6; run++) {
      // New rows.
      const inserts = 1 + Math.floor(random() * 8);
      for (let i = 0; i < inserts; i++, nextId++) {
        await t.wh.query(`insert into ${src} values ($1, $2, $3, $4, $5)`, [
          nextId,
          nextId % 5,
          Math.floor(nextId / 5),
          Math.floor(random() * 100),
          tick++,
        ]);
      }
      if (scenario.changes === 'upsert' && run > 0) {
        // Updates (new value) and re-sends (same value, newer updated_at) of existing keys.
        const touched = Math.floor(random() * 5);
        for (let i = 0; i < touched; i++) {
          const id = 1 + Math.floor(random() * (nextId - 1));
          const resend = random() < 0.4;
          await t.wh.query(
            `update ${src} set val = case when $3 then val else $2 end, updated_at = $4 where id = $1`,
            [id, Math.floor(random() * 100), resend, tick++],
          );
        }
      }

      const result = await build(wh, t.schema, {
        name: `inc_${slug}`,
        materialized: 'incremental',
        config: scenario.config,
        sql: ({ isIncremental }) => model(isIncremental),
      });
      for (const s of result.statements) {
        const m = /^(merge|insert|update|delete)\b/.exec(s.sql);
        if (m) methods.add(/ on conflict /.test(s.sql) ? 'on conflict' : m[1]);
      }
      expect(result.kind).toBe(run === 0 ? 'full' : scenario.expectKind);
      if (run === 0) await scenario.afterFirstBuild?.(qualify(t.schema, `inc_${slug}`));
      await build(t.wh, t.schema, {
        name: `ref_${slug}`,
        materialized: 'incremental',
        config: scenario.config,
        fullRefresh: true,
        sql: ({ isIncremental }) => model(isIncremental),
      });
      expect(await multiset(t.wh, t.schema, `inc_${slug}`)).toEqual(
        await multiset(t.wh, t.schema, `ref_${slug}`),
      );
    }
    if (scenario.name.includes('ON CONFLICT')) expect(methods).toContain('on conflict');
    if (scenario.name.includes('MERGE statement')) expect(methods).toContain('merge');
    if (scenario.name.includes('before 15')) expect([...methods].sort()).toEqual(['insert', 'update']);
  });
});
