/**
 * A model built by a custom materialization is served like any other: its GraphQL field reads the
 * table, `meta` names the materialization, and when its source changes a read refreshes it through
 * the block — incrementally, since the block changed the table in place — before answering.
 */
import { startServer, type RunningServer } from '../../src/server';
import { openStateStore } from '../../src/state';
import { openCustomProject, type CustomProject } from './custom-project';

const MODEL = `{{ config(materialized='custom_incremental', unique_key='id', graphql=true) }}
select id, name, _updated_at from {{ source('raw', 'items') }}
`;

const PROPERTIES = `
version: 2
models:
  - name: tracked
    columns:
      - { name: id, data_type: integer, data_tests: [unique] }
      - { name: name, data_type: text }
      - { name: _updated_at, data_type: timestamp }
      - { name: _is_deleted, data_type: boolean }
      - { name: _deleted_at, data_type: timestamptz }
`;

const QUERY = `{
  tracked(orderBy: [{ column: ID }]) {
    rows { id name isDeleted }
    meta { materialization freshness refresh { kind refreshedModels rowsAffected } }
  }
}`;

interface Answer {
  data?: { tracked: { rows: unknown[]; meta: Record<string, any> } };
  errors?: unknown[];
}

describe('a custom-materialized model over GraphQL', () => {
  let p: CustomProject;
  let server: RunningServer;
  beforeAll(async () => {
    p = await openCustomProject({ 'models/tracked.sql': MODEL, 'models/properties.yml': PROPERTIES });
    await p.pw.wh.query(`create table ${p.rel('items')} (id int, name text, _updated_at timestamp)`);
    await p.pw.wh.query(
      `insert into ${p.rel('items')} values (1, 'a', '2024-01-01'), (2, 'b', '2024-01-01')`,
    );
    // Source changes are seen through a change trigger, as an operator would install it.
    await (
      await openStateStore(p.pw.wh, { schema: p.pw.stateSchema })
    ).installChangeTrigger(p.pw.schema, 'items');
    expect(await p.run()).toMatchObject({ status: 'success', kind: 'table' });
    server = await startServer({
      projectDir: p.dir,
      warehouse: p.pw.wh,
      target: p.pw.target,
      stateSchema: p.pw.stateSchema,
      noParseCache: true,
      port: 0,
      host: '127.0.0.1',
      freshnessIntervalMs: 0,
      resultCacheEntries: 0,
      indexWarningRows: 0,
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await server?.close();
    await p?.close();
  });

  const ask = async (): Promise<Answer> => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    return (await res.json()) as Answer;
  };

  it('answers fresh, then refreshes incrementally through the block after the source changes', async () => {
    const first = await ask();
    expect(first.errors).toBeUndefined();
    expect(first.data!.tracked).toEqual({
      rows: [
        { id: 1, name: 'a', isDeleted: false },
        { id: 2, name: 'b', isDeleted: false },
      ],
      meta: { materialization: 'custom_incremental', freshness: 'FRESH', refresh: expect.anything() },
    });
    expect(first.data!.tracked.meta.refresh.kind).toBe('NONE');

    await p.pw.wh.query(`delete from ${p.rel('items')} where id = 1`);
    await p.pw.wh.query(`update ${p.rel('items')} set name = 'b2', _updated_at = '2024-02-01' where id = 2`);
    const second = await ask();
    expect(second.errors).toBeUndefined();
    expect(second.data!.tracked).toEqual({
      rows: [
        { id: 1, name: 'a', isDeleted: true },
        { id: 2, name: 'b2', isDeleted: false },
      ],
      meta: {
        materialization: 'custom_incremental',
        freshness: 'REFRESHED',
        refresh: { kind: 'INCREMENTAL', refreshedModels: ['model.demo.tracked'], rowsAffected: 2 },
      },
    });
  });
});
