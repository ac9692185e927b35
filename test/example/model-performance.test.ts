/**
 * The example project's model_performance mart: figures and recommendations over a run history
 * written through the state store, checked against values computed by hand.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runProject } from '../../src/run/runner';
import { openStateStore } from '../../src/state';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

const MODEL = path.resolve(__dirname, '..', '..', 'models', 'monitoring', 'model_performance.sql');

describe('model_performance', () => {
  let pw: ProjectWarehouse;
  beforeAll(async () => {
    pw = await openProjectWarehouse();
  });
  afterAll(() => pw.cleanup());

  it('averages, maxima, slow runs and the recommendation per model', async () => {
    const store = await openStateStore(pw.wh, { schema: pw.stateSchema });
    const runs: Record<string, number[]> = {
      huge: [650, 750], // avg 700 > 600
      heavy: [350, 450], // avg 400 > 300
      jittery: [400, 10, 10, 10], // avg 107.5, 1 of 4 slow (25% > 20%)
      fine: [1, 2, 3], // acceptable
    };
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (const [model, seconds] of Object.entries(runs)) {
      for (const [i, s] of seconds.entries()) {
        await store.recordRun({
          invocationId: `inv-${i}`,
          uniqueId: `model.shop.${model}`,
          resourceType: 'model',
          kind: 'full',
          status: 'success',
          trigger: 'cli',
          startedAt: new Date(start + i * 1000),
          completedAt: new Date(start + i * 1000 + s * 1000),
          durationMs: s * 1000,
        });
      }
    }
    const project = tempProject({ 'models/model_performance.sql': readFileSync(MODEL, 'utf8') });
    const previous = process.env.MARTQL_STATE_SCHEMA;
    process.env.MARTQL_STATE_SCHEMA = pw.stateSchema;
    try {
      const summary = await runProject({
        projectDir: project.dir,
        command: 'run',
        warehouse: pw.wh,
        target: pw.target,
        stateSchema: pw.stateSchema,
        noParseCache: true,
      });
      expect(summary.counts.error).toBe(0);
      const { rows } = await pw.wh.query(
        `select model, total_runs::int as total_runs, avg_execution_seconds::float8 as avg_s,
                max_execution_seconds::float8 as max_s, slow_runs::int as slow_runs, recommendation
         from "${pw.schema}".model_performance where unique_id like 'model.shop.%' order by model`,
      );
      expect(rows).toEqual([
        { model: 'fine', total_runs: 3, avg_s: 2, max_s: 3, slow_runs: 0, recommendation: 'acceptable' },
        {
          model: 'heavy',
          total_runs: 2,
          avg_s: 400,
          max_s: 450,
          slow_runs: 2,
          recommendation: 'review query complexity and indexing',
        },
        {
          model: 'huge',
          total_runs: 2,
          avg_s: 700,
          max_s: 750,
          slow_runs: 2,
          recommendation: 'consider partitioning or an incremental materialization',
        },
        {
          model: 'jittery',
          total_runs: 4,
          avg_s: 107.5,
          max_s: 400,
          slow_runs: 1,
          recommendation: 'investigate variability between runs',
        },
      ]);
    } finally {
      if (previous === undefined) delete process.env.MARTQL_STATE_SCHEMA;
      else process.env.MARTQL_STATE_SCHEMA = previous;
      project.cleanup();
    }
  });
});
