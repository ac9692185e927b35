/**
 * `martql start`'s decision on a PGlite database in a temp directory (as `npm start` uses one):
 * empty → generate and build; after carrying that out (tiny data) → nothing, just serve; a model
 * whose build record is gone → build only; raw data gone → generate and build again. The plan is
 * checked against the database itself: the raw tables and model_state rows it reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseProjectDir } from '../../src/compile/compile-project';
import { targetFromEnv } from '../../src/compile/target';
import { exposedModels } from '../../src/graphql/schema';
import type { Manifest } from '../../src/graph/types';
import { carryOutStart, planStart } from '../../src/server/demo-setup';
import { openWarehouse, type Warehouse } from '../../src/warehouse';

const ROOT = path.resolve(__dirname, '..', '..');

describe('martql start: generate and build only when needed', () => {
  let dir: string;
  let wh: Warehouse;
  let manifest: Manifest;
  // The PGlite file database, whatever DATABASE_URL says: this is what `npm start` opens.
  const target = { ...targetFromEnv({}), schema: 'analytics' };
  const options = { rawSchema: 'raw', stateSchema: 'martql' };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'martql-start-'));
    wh = await openWarehouse({ dataDir: path.join(dir, 'pglite') });
    ({ manifest } = await parseProjectDir(ROOT, { session: wh, target, noParseCache: true }));
  });

  afterAll(async () => {
    await wh?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('empty → generate + build; built → nothing; lost state → build; lost data → both', async () => {
    const empty = await planStart(wh, manifest, options);
    expect(empty).toMatchObject({ generate: true, build: true });
    expect(empty.reasons[0]).toMatch(/^no raw data: raw\.customers, raw\.orders/);

    const started = performance.now();
    const { buildSucceeded } = await carryOutStart(wh, empty, {
      ...options,
      projectDir: ROOT,
      target,
      customers: 60,
      days: 40,
      noParseCache: true,
    });
    expect(buildSucceeded).toBe(true);
    console.log(`tiny generate + build on PGlite: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const { rows } = await wh.query<{ n: number }>('select count(*)::int as n from raw.orders');
    expect(rows[0].n).toBeGreaterThan(0);

    expect(await planStart(wh, manifest, options)).toEqual({ generate: false, build: false, reasons: [] });

    const [first] = exposedModels(manifest);
    await wh.query('delete from martql.model_state where unique_id = $1', [first.uniqueId]);
    expect(await planStart(wh, manifest, options)).toMatchObject({ generate: false, build: true });

    await wh.query('drop table raw.orders cascade');
    const lost = await planStart(wh, manifest, options);
    expect(lost).toMatchObject({ generate: true, build: true });
    expect(lost.reasons[0]).toBe('no raw data: raw.orders missing');
  });
});
