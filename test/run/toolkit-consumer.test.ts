/**
 * The repository root's macro library used as a package by another project: the committed fixture
 * test/fixtures/toolkit_consumer lists only `local: ../../..` in its packages.yml, builds a model
 * with `analytics_engineering_toolkit.calculate_attribution`, pivots it with
 * `generate_pivot_table`, and tests it with the toolkit's generic tests. The attribution weights
 * and the pivot's sums are checked against a TypeScript computation from the seed files.
 *
 * The fixture is used in place (a copy elsewhere would break its relative package path); builds
 * write only its git-ignored target/ folder.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { resolveDeps } from '../../src/project/deps';
import { runProject } from '../../src/run/runner';
import { openStateStore } from '../../src/state';
import { qualify } from '../../src/warehouse';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'toolkit_consumer');
const REPO_ROOT = path.resolve(__dirname, '..', '..');

function readCsv(name: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path.join(FIXTURE, 'seeds', name), 'utf8')
    .trim()
    .split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v])));
}

interface Weight {
  conversion: number;
  touchpoint: number;
  model: string;
  channel: string;
  weight: number;
  value: number;
}

/** The toolkit's documented rules, computed directly from the seeds. */
function expectedWeights(): Weight[] {
  const touches = readCsv('touchpoints.csv');
  const out: Weight[] = [];
  const ms = (t: string) => Date.parse(`${t.replace(' ', 'T')}Z`);
  for (const c of readCsv('conversions.csv')) {
    const at = ms(c.converted_at);
    const path = touches
      .filter((t) => t.customer_id === c.customer_id)
      .filter((t) => ms(t.touched_at) <= at && ms(t.touched_at) >= at - 30 * 86_400_000)
      .sort(
        (a, b) => ms(a.touched_at) - ms(b.touched_at) || Number(a.touchpoint_id) - Number(b.touchpoint_id),
      );
    const n = path.length;
    path.forEach((t, i) => {
      const weights: Record<string, number> = {
        first_touch: i === 0 ? 1 : 0,
        last_touch: i === n - 1 ? 1 : 0,
        linear: 1 / n,
        u_shaped: n === 1 ? 1 : n === 2 ? 0.5 : i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2),
      };
      for (const [model, weight] of Object.entries(weights)) {
        out.push({
          conversion: Number(c.conversion_id),
          touchpoint: Number(t.touchpoint_id),
          model,
          channel: t.channel,
          weight,
          value: weight * Number(c.revenue),
        });
      }
    });
  }
  return out;
}

describe('the toolkit as a package of another project', () => {
  let pw: ProjectWarehouse;
  beforeAll(async () => {
    pw = await openProjectWarehouse();
  });
  afterAll(async () => {
    await pw.cleanup();
  });

  it('martql deps resolves the repository root from packages.yml', async () => {
    const { record, recordPath } = await resolveDeps(FIXTURE);
    expect(record.packages).toEqual([
      {
        name: 'analytics_engineering_toolkit',
        version: '0.1.0',
        source: 'local',
        spec: '../../..',
        path: path.relative(FIXTURE, REPO_ROOT),
        requiredBy: [
          { package: 'toolkit_consumer', version: '>=0.1.0 <1.0.0', file: 'packages.yml', line: 2 },
        ],
      },
    ]);
    expect(JSON.parse(readFileSync(recordPath, 'utf8')).packages).toEqual(record.packages);
  });

  it('builds green, with attribution weights and pivot sums equal to the documented rules', async () => {
    const summary = await runProject({
      projectDir: FIXTURE,
      command: 'build',
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      noParseCache: true,
    });
    const outcome = Object.fromEntries(summary.results.map((r) => [`${r.resourceType} ${r.name}`, r.status]));
    expect(outcome).toEqual({
      'seed touchpoints': 'success',
      'seed conversions': 'success',
      'snapshot conversions_snapshot': 'success',
      'model attribution': 'success',
      'model value_by_channel': 'success',
      'test analytics_engineering_toolkit_weights_sum_to_one_attribution_conversion_id__attribution_model':
        'pass',
      'test not_null_attribution_conversion_id': 'pass',
      'test analytics_engineering_toolkit_referential_integrity_attribution_conversion_id__conversion_id__ref_conversions_':
        'pass',
    });

    const expected = expectedWeights();
    const { rows } = await pw.wh.query<{ c: number; t: number; m: string; w: number; v: number }>(
      `select conversion_id::int as c, touchpoint_id::int as t, attribution_model as m,
              weight::float8 as w, attributed_value::float8 as v
         from ${qualify(pw.schema, 'attribution')} order by 1, 3, 2`,
    );
    const key = (c: number, t: number, m: string) => `${c}/${m}/${t}`;
    const got = new Map(rows.map((r) => [key(r.c, r.t, r.m), r]));
    expect([...got.keys()].sort()).toEqual(
      expected.map((e) => key(e.conversion, e.touchpoint, e.model)).sort(),
    );
    for (const e of expected) {
      const row = got.get(key(e.conversion, e.touchpoint, e.model))!;
      expect(row.w).toBeCloseTo(e.weight, 10);
      expect(row.v).toBeCloseTo(e.value, 8);
    }

    // The pivot: one column per channel (cleaned to an identifier), the sum of attributed value.
    const pivot = await pw.wh.query<Record<string, string | null>>(
      `select * from ${qualify(pw.schema, 'value_by_channel')}`,
    );
    const channels = [...new Set(expected.map((e) => e.channel))];
    const column = (channel: string) => channel.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    expect(pivot.fields.map((f) => f.name).sort()).toEqual(
      ['attribution_model', ...channels.map(column)].sort(),
    );
    for (const row of pivot.rows) {
      for (const channel of channels) {
        const parts = expected.filter((e) => e.model === row.attribution_model && e.channel === channel);
        const cell = row[column(channel)];
        if (parts.length === 0) expect(cell).toBeNull();
        else
          expect(Number(cell)).toBeCloseTo(
            parts.reduce((s, e) => s + e.value, 0),
            8,
          );
      }
    }

    // The snapshot ran in DAG order (after its seed) and is in the run history like any node.
    const ids = summary.results.map((r) => r.uniqueId);
    expect(ids.indexOf('snapshot.toolkit_consumer.conversions_snapshot')).toBeGreaterThan(
      ids.indexOf('seed.toolkit_consumer.conversions'),
    );
    const history = await (
      await openStateStore(pw.wh, { schema: pw.stateSchema })
    ).runHistory({ limit: 100 });
    expect(
      history.find((h) => h.uniqueId === 'snapshot.toolkit_consumer.conversions_snapshot'),
    ).toMatchObject({
      resourceType: 'snapshot',
      kind: 'snapshot',
      status: 'success',
      rowsAffected: 4,
    });
  });
});
