import type { ModelBuilt } from '../../src/state';
import { openTestStore, run, type TestStore } from './store-fixture';

let t: TestStore;
beforeAll(async () => {
  t = await openTestStore();
});
afterAll(() => t?.cleanup());

const built = (overrides: Partial<ModelBuilt> = {}): ModelBuilt => ({
  status: 'success',
  uniqueId: 'model.p.orders',
  resourceType: 'model',
  relation: { schema: 'analytics', name: 'orders' },
  materialization: 'incremental',
  sqlHash: 'sql-1',
  configHash: 'cfg-1',
  builtAt: '2024-05-01T12:00:00.000001Z',
  upstreamVersions: { 'source.p.raw.orders': 7, 'model.p.stg_orders': '2024-05-01T11:00:00Z' },
  watermark: '2024-05-01 11:59:59.999999',
  rowCount: 1234,
  durationMs: 250.5,
  invocationId: 'inv-1',
  ...overrides,
});

describe('model state', () => {
  it('records a successful build and reads it back', async () => {
    await t.store.upsertModelState(built());
    const state = (await t.store.getModelState(['model.p.orders'])).get('model.p.orders');
    expect(state).toEqual({
      uniqueId: 'model.p.orders',
      resourceType: 'model',
      relation: { schema: 'analytics', name: 'orders' },
      materialization: 'incremental',
      sqlHash: 'sql-1',
      configHash: 'cfg-1',
      builtAt: '2024-05-01T12:00:00.000001Z',
      upstreamVersions: { 'source.p.raw.orders': 7, 'model.p.stg_orders': '2024-05-01T11:00:00Z' },
      watermark: '2024-05-01 11:59:59.999999',
      rowCount: 1234,
      lastDurationMs: 250.5,
      lastStatus: 'success',
      lastInvocationId: 'inv-1',
      lastError: null,
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
    });
  });

  it('keeps the last good build when a rebuild fails or is skipped', async () => {
    await t.store.upsertModelState(built({ uniqueId: 'model.p.kept' }));
    await t.store.upsertModelState({
      status: 'error',
      uniqueId: 'model.p.kept',
      resourceType: 'model',
      durationMs: 9,
      invocationId: 'inv-2',
      error: { message: 'relation "raw.x" does not exist', code: '42P01' },
    });
    let state = (await t.store.getModelState(['model.p.kept'])).get('model.p.kept')!;
    expect(state).toMatchObject({
      sqlHash: 'sql-1',
      builtAt: '2024-05-01T12:00:00.000001Z',
      watermark: '2024-05-01 11:59:59.999999',
      rowCount: 1234,
      lastStatus: 'error',
      lastDurationMs: 9,
      lastInvocationId: 'inv-2',
      lastError: { message: 'relation "raw.x" does not exist', code: '42P01' },
    });

    await t.store.upsertModelState({
      status: 'skipped',
      uniqueId: 'model.p.kept',
      resourceType: 'model',
      durationMs: 0,
      invocationId: 'inv-3',
    });
    state = (await t.store.getModelState(['model.p.kept'])).get('model.p.kept')!;
    expect(state).toMatchObject({
      lastStatus: 'skipped',
      lastDurationMs: 9,
      lastInvocationId: 'inv-3',
      lastError: null,
    });

    await t.store.upsertModelState(
      built({ uniqueId: 'model.p.kept', sqlHash: 'sql-2', watermark: null, invocationId: 'inv-4' }),
    );
    state = (await t.store.getModelState(['model.p.kept'])).get('model.p.kept')!;
    expect(state).toMatchObject({
      sqlHash: 'sql-2',
      watermark: null,
      lastStatus: 'success',
      lastError: null,
    });
  });

  it('records a node that has never built as such', async () => {
    await t.store.upsertModelState({
      status: 'error',
      uniqueId: 'model.p.never',
      resourceType: 'model',
      durationMs: 3,
      invocationId: 'inv-1',
      error: { message: 'boom' },
    });
    const state = (await t.store.getModelState(['model.p.never'])).get('model.p.never')!;
    expect(state).toMatchObject({
      builtAt: null,
      sqlHash: null,
      relation: null,
      upstreamVersions: {},
      lastStatus: 'error',
    });
  });

  it('reads many nodes at once; unknown ones are absent', async () => {
    await t.store.upsertModelState(built({ uniqueId: 'model.p.m1' }));
    await t.store.upsertModelState(
      built({ uniqueId: 'model.p.m2', relation: null, materialization: 'ephemeral' }),
    );
    const states = await t.store.getModelState(['model.p.m1', 'model.p.m2', 'model.p.unknown']);
    expect([...states.keys()]).toEqual(['model.p.m1', 'model.p.m2']);
    expect(states.get('model.p.m2')!.relation).toBeNull();
    expect(await t.store.getModelState([])).toEqual(new Map());
    expect((await t.store.getModelState()).size).toBeGreaterThanOrEqual(2);
  });

  it('writes a node result (run row and state) together, or neither', async () => {
    const seq = await t.store.recordNodeResult({
      run: run({ uniqueId: 'model.p.together' }),
      modelState: built({ uniqueId: 'model.p.together' }),
    });
    expect((await t.store.runHistory({ uniqueId: 'model.p.together', limit: 5 }))[0].seq).toBe(seq);
    expect((await t.store.getModelState(['model.p.together'])).has('model.p.together')).toBe(true);

    // The state write fails (a malformed timestamp), so the run row is not kept either.
    await expect(
      t.store.recordNodeResult({
        run: run({ uniqueId: 'model.p.apart' }),
        modelState: { ...built({ uniqueId: 'model.p.apart' }), builtAt: 'not a timestamp' },
      }),
    ).rejects.toThrow();
    expect(await t.store.runHistory({ uniqueId: 'model.p.apart', limit: 5 })).toEqual([]);
  });

  it('commits with the caller’s transaction when bound to it', async () => {
    await expect(
      t.wh.transaction(async (tx) => {
        await t.store.using(tx).upsertModelState(built({ uniqueId: 'model.p.rolled_back' }));
        await t.store.using(tx).recordNodeResult({ run: run({ uniqueId: 'model.p.rolled_back' }) });
        throw new Error('the table swap failed');
      }),
    ).rejects.toThrow('the table swap failed');
    expect((await t.store.getModelState(['model.p.rolled_back'])).size).toBe(0);
    expect(await t.store.runHistory({ uniqueId: 'model.p.rolled_back', limit: 5 })).toEqual([]);

    await t.wh.transaction((tx) =>
      t.store.using(tx).upsertModelState(built({ uniqueId: 'model.p.committed' })),
    );
    expect((await t.store.getModelState(['model.p.committed'])).size).toBe(1);
  });
});
