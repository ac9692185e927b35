import { MartqlError } from '../../src/errors';
import { quoteIdent } from '../../src/warehouse';
import { openTestStore, run, type TestStore } from './store-fixture';

let t: TestStore;
beforeAll(async () => {
  t = await openTestStore({ martqlVersion: '0.1.0-test' });
});
afterAll(() => t?.cleanup());

const history = () => `${quoteIdent(t.stateSchema)}.run_history`;

describe('invocations', () => {
  it('opens as running and closes with counts taken from its run history', async () => {
    const { store } = t;
    const invocationId = await store.startInvocation({
      command: 'build',
      args: { select: ['+orders'], threads: 4 },
      trigger: 'cli',
      target: 'dev',
    });
    expect(invocationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await store.getInvocation(invocationId)).toMatchObject({
      command: 'build',
      args: { select: ['+orders'], threads: 4 },
      status: 'running',
      martqlVersion: '0.1.0-test',
      completedAt: null,
      counts: null,
    });

    const statuses = ['success', 'success', 'pass', 'warn', 'error', 'fail', 'skipped'] as const;
    for (const [i, status] of statuses.entries()) {
      await store.recordRun(run({ invocationId, uniqueId: `model.p.m${i}`, status }));
    }
    await store.finishInvocation({ invocationId, status: 'error' });

    const done = await store.getInvocation(invocationId);
    expect(done).toMatchObject({ status: 'error', counts: { pass: 3, warn: 1, error: 2, skip: 1 } });
    expect(Date.parse(done!.completedAt!)).toBeGreaterThanOrEqual(Date.parse(done!.startedAt));
  });

  it('keeps counts given explicitly and the id given', async () => {
    await t.store.startInvocation({ invocationId: 'given-id', command: 'refresh', trigger: 'graphql' });
    await t.store.finishInvocation({
      invocationId: 'given-id',
      status: 'success',
      counts: { pass: 5, warn: 0, error: 0, skip: 2 },
    });
    expect(await t.store.getInvocation('given-id')).toMatchObject({
      trigger: 'graphql',
      counts: { pass: 5, warn: 0, error: 0, skip: 2 },
    });
    expect(await t.store.getInvocation('no-such-id')).toBeNull();
  });
});

describe('run history', () => {
  it('appends one row per node as it finishes, newest first, including failures', async () => {
    const { store } = t;
    const invocationId = await store.startInvocation({ command: 'run', trigger: 'cli' });
    const started = new Date('2024-05-01T12:00:00.123Z');
    const seqA = await store.recordRun(
      run({
        invocationId,
        uniqueId: 'model.p.a',
        startedAt: started,
        completedAt: '2024-05-01T12:00:01.5Z',
        durationMs: 1377.25,
        rowsAffected: 42,
        relation: { schema: 'analytics', name: 'a' },
        materialization: 'table',
        sqlHash: 'abc',
        statements: [
          { sqlHash: 'h1', rows: 42, ms: 1200.5, command: 'CREATE TABLE' },
          { sqlHash: 'h2', rows: null, ms: 3, command: 'ALTER TABLE' },
        ],
        thread: 'Thread-1',
        message: 'SELECT 42',
      }),
    );
    const seqB = await store.recordRun(
      run({
        invocationId,
        uniqueId: 'model.p.b',
        status: 'error',
        error: { message: 'division by zero', code: '22012' },
        durationMs: 5,
      }),
    );
    const seqC = await store.recordRun(
      run({ invocationId, uniqueId: 'model.p.c', status: 'skipped', kind: 'skipped', durationMs: 0 }),
    );
    expect(seqA).toBeLessThan(seqB);
    expect(seqB).toBeLessThan(seqC);

    const rows = await store.runHistory({ invocationId, limit: 10 });
    expect(rows.map((r) => [r.uniqueId, r.status])).toEqual([
      ['model.p.c', 'skipped'],
      ['model.p.b', 'error'],
      ['model.p.a', 'success'],
    ]);
    expect(rows[1].error).toEqual({ message: 'division by zero', code: '22012' });
    const failed = await store.runHistory({ invocationId, status: 'error', limit: 10 });
    expect(failed.map((r) => r.uniqueId)).toEqual(['model.p.b']);
    expect(await store.runHistory({ invocationId, trigger: 'graphql', limit: 10 })).toEqual([]);
    expect(rows[2]).toEqual({
      seq: seqA,
      invocationId,
      uniqueId: 'model.p.a',
      resourceType: 'model',
      kind: 'full',
      status: 'success',
      trigger: 'cli',
      startedAt: '2024-05-01T12:00:00.123000Z',
      completedAt: '2024-05-01T12:00:01.500000Z',
      durationMs: 1377.25,
      rowsAffected: 42,
      relation: { schema: 'analytics', name: 'a' },
      materialization: 'table',
      sqlHash: 'abc',
      statements: [
        { sqlHash: 'h1', rows: 42, ms: 1200.5, command: 'CREATE TABLE' },
        { sqlHash: 'h2', rows: null, ms: 3, command: 'ALTER TABLE' },
      ],
      error: null,
      thread: 'Thread-1',
      message: 'SELECT 42',
    });
    expect(new Date(rows[2].startedAt).getTime()).toBe(started.getTime());
  });

  it('filters by node and start time, limits, and pages by seq', async () => {
    const { store } = t;
    const invocationId = await store.startInvocation({ command: 'run', trigger: 'schedule' });
    for (let i = 0; i < 5; i++) {
      await store.recordRun(
        run({
          invocationId,
          uniqueId: 'model.p.paged',
          startedAt: `2024-06-0${i + 1}T00:00:00Z`,
          completedAt: `2024-06-0${i + 1}T00:00:01Z`,
          trigger: 'schedule',
        }),
      );
    }
    const all = await store.runHistory({ uniqueId: 'model.p.paged', limit: 100 });
    expect(all.map((r) => r.startedAt.slice(0, 10))).toEqual([
      '2024-06-05',
      '2024-06-04',
      '2024-06-03',
      '2024-06-02',
      '2024-06-01',
    ]);
    const page1 = await store.runHistory({ uniqueId: 'model.p.paged', limit: 2 });
    const page2 = await store.runHistory({ uniqueId: 'model.p.paged', limit: 2, beforeSeq: page1[1].seq });
    expect([...page1, ...page2].map((r) => r.seq)).toEqual(all.slice(0, 4).map((r) => r.seq));
    const since = await store.runHistory({
      uniqueId: 'model.p.paged',
      since: '2024-06-04T00:00:00Z',
      limit: 100,
    });
    expect(since).toHaveLength(2);
    expect(await store.runHistory({ uniqueId: 'model.p.none', limit: 10 })).toEqual([]);
  });

  it('refuses updates and deletes: history is append-only', async () => {
    await t.store.recordRun(run({ uniqueId: 'model.p.fixed' }));
    for (const statement of [
      `update ${history()} set status = 'error' where unique_id = 'model.p.fixed'`,
      `delete from ${history()} where unique_id = 'model.p.fixed'`,
    ]) {
      const err = await t.wh.query(statement).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MartqlError);
      expect((err as MartqlError).message).toMatch(/run_history is append-only/);
    }
    expect(await t.store.runHistory({ uniqueId: 'model.p.fixed', limit: 10 })).toHaveLength(1);
  });

  it('prunes old history through the store only', async () => {
    await t.store.recordRun(
      run({
        uniqueId: 'model.p.old',
        startedAt: '2001-01-01T00:00:00Z',
        completedAt: '2001-01-01T00:00:01Z',
      }),
    );
    await t.store.recordRun(run({ uniqueId: 'model.p.old' }));
    expect(await t.store.pruneRunHistory(new Date('2002-01-01T00:00:00Z'))).toBe(1);
    expect(await t.store.runHistory({ uniqueId: 'model.p.old', limit: 10 })).toHaveLength(1);
    // The permission ended with the pruning transaction.
    await expect(t.wh.query(`delete from ${history()} where unique_id = 'model.p.old'`)).rejects.toThrow(
      /append-only/,
    );
  });

  it('rejects a status outside the known set', async () => {
    await expect(
      t.store.recordRun(run({ uniqueId: 'model.p.bad', status: 'bogus' as never })),
    ).rejects.toThrow(MartqlError);
  });

  it('stores hostile text as data', async () => {
    const text = `'); drop table run_history; -- "x" \\ $1`;
    await t.store.recordRun(run({ uniqueId: text, message: text, error: { message: text } }));
    const [row] = await t.store.runHistory({ uniqueId: text, limit: 1 });
    expect([row.uniqueId, row.message, row.error?.message]).toEqual([text, text, text]);
  });
});

describe('test results', () => {
  it('records results and summarises the latest result of each test per node', async () => {
    const { store } = t;
    const base = { severity: 'error' as const, durationMs: 12, attachedNode: 'model.p.orders' };
    await store.recordTestResult({
      ...base,
      invocationId: 'i1',
      uniqueId: 'test.p.not_null',
      status: 'fail',
      failures: 3,
    });
    await store.recordTestResult({
      ...base,
      invocationId: 'i1',
      uniqueId: 'test.p.unique',
      status: 'pass',
      failures: 0,
    });
    await store.recordTestResult({
      ...base,
      invocationId: 'i1',
      uniqueId: 'test.p.accepted',
      status: 'warn',
      severity: 'warn',
      failures: 1,
      storeFailures: { schema: 'audit', name: 'accepted' },
    });
    // The failing test is fixed in the next invocation.
    await store.recordTestResult({
      ...base,
      invocationId: 'i2',
      uniqueId: 'test.p.not_null',
      status: 'pass',
      failures: 0,
    });
    await store.recordTestResult({
      ...base,
      attachedNode: 'model.p.other',
      invocationId: 'i2',
      uniqueId: 'test.p.x',
      status: 'error',
    });

    const summaries = await store.testSummaries(['model.p.orders', 'model.p.other', 'model.p.untested']);
    expect(summaries.get('model.p.orders')).toMatchObject({ passed: 2, failed: 0, warned: 1 });
    expect(summaries.get('model.p.other')).toMatchObject({ passed: 0, failed: 1, warned: 0 });
    expect(summaries.has('model.p.untested')).toBe(false);
    expect(await store.testSummaries([])).toEqual(new Map());
  });
});
