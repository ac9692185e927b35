/**
 * The toolkit's optimize_table_performance as a post-hook, on a plain and on a partitioned table:
 * the indexes exist, the table (each partition) is clustered and its rows are stored in the
 * cluster order (read back in physical order), the extended statistics exist with both kinds, the
 * table is analyzed, and a second build changes nothing about the objects. Other adapters get
 * ANALYZE only.
 */
import { createHash } from 'node:crypto';
import { expectAllPassed, toolkitProject, type ToolkitProject } from '../toolkit/toolkit-project';

const md5 = (text: string) => createHash('md5').update(text).digest('hex').slice(0, 8);

const DATA = `select g as id,
       timestamptz '2024-01-01 00:00:00+00' + g * interval '7 minutes' as at,
       (array['search', 'social', 'email', 'display'])[1 + (g * 7) % 4] as channel,
       'campaign_' || ((g * 7) % 4) || '_' || (g % 3) as campaign
from generate_series(1, 4000) g`;
const HOOK = `{{ analytics_engineering_toolkit.optimize_table_performance(this, 'at', ['channel', 'campaign']) }}`;

let p: ToolkitProject;
beforeAll(async () => {
  p = await toolkitProject({
    'models/plain.sql': `{{ config(post_hook="${HOOK}") }}\n${DATA}\n`,
    'models/parted.sql': `{{ config(post_hook="${HOOK}", partition_by={'field': 'at', 'granularity': 'day'}) }}\n${DATA}\n`,
    // What another adapter runs: MartQL dispatches to postgres__, so the default is called by name.
    'models/elsewhere.sql': `{{ config(post_hook="${HOOK.replace('.optimize', '.default__optimize')}", analyze=false) }}\n${DATA}\n`,
  });
  expectAllPassed(await p.build({ select: ['plain', 'parted'] }));
}, 120_000);
afterAll(() => p?.cleanup());

interface IndexRow {
  table: string;
  name: string;
  clustered: boolean;
  columns: string;
}

async function indexes(table: string): Promise<IndexRow[]> {
  return p.rows<IndexRow>(
    `select t.relname as table, ic.relname as name, x.indisclustered as clustered,
            pg_get_indexdef(ic.oid) as columns
     from pg_index x join pg_class ic on ic.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
     join pg_namespace n on n.oid = t.relnamespace
     where n.nspname = '${p.schema}' and t.relname ~ '^${table}($|__p_)' order by 1, 2`,
  );
}

async function storedInClusterOrder(table: string): Promise<boolean> {
  const rows = await p.rows<{ part: string; channel: string; campaign: string }>(
    `select tableoid::regclass::text as part, channel, campaign from {{S}}.${table} order by tableoid, ctid`,
  );
  const key = (r: (typeof rows)[number]) => `${r.channel}\u0000${r.campaign}`;
  // Within each partition (or the one table), in physical order, rows are sorted by the cluster key.
  return rows.every((r, i) => i === 0 || rows[i - 1].part !== r.part || key(rows[i - 1]) <= key(r));
}

it('clusters a plain table on the cluster columns, with an index on the partition column', async () => {
  const cluster = `plain__opt_cluster_${md5('channel,campaign')}`;
  const part = `plain__opt_part_${md5('at')}`;
  expect(await indexes('plain')).toEqual([
    {
      table: 'plain',
      name: cluster,
      clustered: true,
      columns: expect.stringMatching(/\(channel, campaign\)$/),
    },
    { table: 'plain', name: part, clustered: false, columns: expect.stringMatching(/\(at\)$/) },
  ]);
  expect(await storedInClusterOrder('plain')).toBe(true);
});

it('clusters every partition of a partitioned table', async () => {
  const partitioned = (await indexes('parted')).filter((i) => i.name.includes('__p_'));
  const children = partitioned.filter((i) => /\(channel, campaign\)$/.test(i.columns));
  expect(children.length).toBeGreaterThan(10); // 4,000 x 7 minutes: 20 days
  expect(children.every((i) => i.clustered)).toBe(true);
  expect(await storedInClusterOrder('parted')).toBe(true);
});

it('creates extended statistics and analyzes', async () => {
  for (const table of ['plain', 'parted']) {
    const stats = await p.rows<{ name: string; kinds: string[]; columns: string[] }>(
      `select s.stxname as name, s.stxkind::text[] as kinds,
              array(select a.attname::text from unnest(s.stxkeys::int2[]) k(n)
                    join pg_attribute a on a.attrelid = s.stxrelid and a.attnum = k.n order by a.attnum) as columns
       from pg_statistic_ext s where s.stxrelid = '{{S}}.${table}'::regclass`,
    );
    expect(stats).toEqual([
      {
        name: `${table}__opt_stats_${md5('at,channel,campaign')}`,
        kinds: ['d', 'f'],
        columns: ['at', 'channel', 'campaign'],
      },
    ]);
  }
  const [{ n }] = await p.rows<{ n: number }>(
    `select reltuples::float8 as n from pg_class where oid = '{{S}}.plain'::regclass`,
  );
  expect(n).toBe(4000);
});

it('builds again without duplicating anything', async () => {
  const before = (await indexes('plain')).map((i) => i.name);
  expectAllPassed(await p.build({ select: ['plain', 'parted'] }));
  expect((await indexes('plain')).map((i) => i.name)).toEqual(before);
  expect(await storedInClusterOrder('parted')).toBe(true);
});

it('only analyzes on other adapters (default__)', async () => {
  expectAllPassed(await p.build({ select: ['elsewhere'] }));
  expect(await indexes('elsewhere')).toEqual([]);
  const [{ n }] = await p.rows<{ n: number }>(
    `select reltuples::float8 as n from pg_class where oid = '{{S}}.elsewhere'::regclass`,
  );
  expect(n).toBe(4000);
});
