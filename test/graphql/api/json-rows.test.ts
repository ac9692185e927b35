/**
 * Rows as JSON text written by the warehouse worker (graphql/query/json-row.ts,
 * warehouse/json-rows.ts, resolvers/raw-json.ts) against
 * the object path as the oracle: two servers over the same built project, one with `jsonRows`
 * off, asked the same queries. A fixture model holds awkward values of every column kind; random
 * selections (aliases, repeated keys, fragments, `@skip`/`@include`, `__typename`, `totalCount`,
 * `meta`) and random pages must answer the same JSON on both, and the server must really have
 * read the page as JSON text (the statements it sent are watched).
 */
import { isDeepStrictEqual } from 'node:util';
import { runProject } from '../../../src/run/runner';
import { startServer, type RunningServer } from '../../../src/server';
import type { Warehouse } from '../../../src/warehouse';
import { openProjectWarehouse, type ProjectWarehouse } from '../../helpers/project-warehouse';
import { prng } from '../../helpers/prng';
import { tempProject } from '../../helpers/temp-project';

// One row per line; every kind, with the values whose JSON spelling is easy to get wrong.
const ROWS = [
  `(1, 0, 0, 0.1, 0.1::real, 12.3400, 12.3400, 'plain', true, '2024-02-29', '2024-05-01 12:00:00', '2024-05-01 12:00:00+00', '{"b": 1, "a": [1, 2, {"c": null}]}')`,
  `(2, -2147483648, 9007199254740993, 1e-7, 3.4e38::real, 0.1000000000000000055511151231257827, -0.000001, 'quote " and \\ backslash', false, '0001-01-01', '2024-05-01 12:00:00.5', '2024-05-01 12:00:00.123456+05:30', '"str"')`,
  `(3, 2147483647, -9223372036854775808, 1e21, 1e-30::real, 1e20, 123456789012345678901234567890.123, 'é日本🎉', null, 'infinity', '2024-05-01 00:00:00.000001', '1999-12-31 23:59:59.999-08', 'null')`,
  `(4, null, null, -0.0, -0.0::real, null, null, E'ctl \\x01\\t\\n end', null, null, null, 'infinity', null)`,
  `(5, 7, 42, 1.5e300, null, 0, 0, '', true, '2024-01-01', 'infinity', '2024-05-01 12:00:00.5+00', '[1.0, 2.50, "x"]')`,
  `(6, 8, 43, 5e-324, 1, 1e-10, 99.990, '@martql-raw-json:0:0@', false, '2024-12-31', '2024-05-01 12:00:00', null, '{}')`,
  `(7, 9, 44, 123456789.123, 2.5, 1000000, 1.5, '</script><b>', true, '2024-06-30', '2024-05-01 12:00:00', '2024-05-01 12:00:00+00', '{"k": "v"}')`,
];

const EDGE_SQL = `{{ config(materialized='table') }}
select id::int, i::int, b::bigint, f::float8, r::real, n::numeric, d::numeric(60, 6), t::text, flag::boolean,
       day::date, ts::timestamp, tstz::timestamptz, doc::jsonb
from (values
  ${ROWS.join(',\n  ')}
) as v(id, i, b, f, r, n, d, t, flag, day, ts, tstz, doc)`;

const EDGE_YML = `version: 2
models:
  - name: edge
    config: { graphql: true }
    columns:
      - { name: id, data_type: integer, data_tests: [unique] }
      - { name: i, data_type: integer }
      - { name: b, data_type: bigint }
      - { name: f, data_type: double precision }
      - { name: r, data_type: real }
      - { name: n, data_type: numeric }
      - { name: d, data_type: numeric, meta: { graphql_type: Decimal } }
      - { name: t, data_type: text }
      - { name: flag, data_type: boolean }
      - { name: day, data_type: date }
      - { name: ts, data_type: timestamp }
      - { name: tstz, data_type: timestamptz }
      - { name: doc, data_type: jsonb }
`;

const FIELDS = ['id', 'i', 'b', 'f', 'r', 'n', 'd', 't', 'flag', 'day', 'ts', 'tstz', 'doc'];
const ORDERABLE = ['ID', 'I', 'B', 'F', 'R', 'N', 'D', 'T', 'FLAG', 'DAY', 'TS', 'TSTZ'];

/** A random selection of row fields: aliases, repeats, a fragment, directives, __typename. */
function randomRows(random: () => number): string {
  const pick = () => FIELDS[Math.floor(random() * FIELDS.length)];
  const parts: string[] = [];
  const n = 1 + Math.floor(random() * 8);
  for (let k = 0; k < n; k++) {
    const field = pick();
    const roll = random();
    if (roll < 0.15) parts.push(`a${k}: ${field}`);
    else if (roll < 0.25) parts.push(`${field} @skip(if: $skip)`);
    else if (roll < 0.35) parts.push(`${field} @include(if: $skip)`);
    else if (roll < 0.45) parts.push('__typename');
    else if (roll < 0.55) parts.push(`... on Edge { ${pick()} ${field} }`);
    else if (roll < 0.6) parts.push('...Cols');
    else parts.push(field);
  }
  return parts.join(' ');
}

function randomQuery(random: () => number): { query: string; variables: Record<string, unknown> } {
  const order = ORDERABLE[Math.floor(random() * ORDERABLE.length)];
  const direction = random() < 0.5 ? 'ASC' : 'DESC';
  const extra = [random() < 0.3 ? 'totalCount' : '', random() < 0.2 ? 'meta { freshness }' : ''].join(' ');
  const rowsKey = random() < 0.3 ? 'list: rows' : 'rows';
  const rootKey = random() < 0.3 ? 'page: edge' : 'edge';
  const rows = randomRows(random);
  // Validation refuses an unused variable or fragment: declare them only when used.
  const skip = rows.includes('$skip');
  return {
    query: `query Q(${skip ? '$skip: Boolean!, ' : ''}$limit: Int!, $offset: Int!) {
      ${rootKey}(orderBy: [{ column: ${order}, direction: ${direction} }], limit: $limit, offset: $offset) {
        ${extra} ${rowsKey} { ${rows} }
      }
    }
    ${rows.includes('...Cols') ? 'fragment Cols on Edge { tstz f }' : ''}`,
    variables: {
      ...(skip ? { skip: random() < 0.5 } : {}),
      limit: 1 + Math.floor(random() * ROWS.length),
      offset: Math.floor(random() * 3),
    },
  };
}

describe('rows as JSON text from the warehouse', () => {
  let pw: ProjectWarehouse;
  let project: ReturnType<typeof tempProject>;
  let json: RunningServer;
  let objects: RunningServer;
  const sent: string[] = [];
  /** While set, statements on `edge` wait until it holds (at most 20 s), so that requests overlap. */
  let holdUntil: (() => boolean) | undefined;

  const post = async (server: RunningServer, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = tempProject({
      'models/edge.sql': EDGE_SQL,
      'models/_edge.yml': EDGE_YML,
      // Text declared as numbers (nothing checks YAML types against the table without a contract).
      'models/liar.sql': `{{ config(materialized='table') }}
select '1,"injected":true'::text as n, '9"}],"x":{"y":"'::text as b, '1"}'::text as d,
       '1,"injected":true'::text as f, '2024-05-01 12:00:00+00","injected":true'::text as ts,
       't,"injected":true'::text as flag, '2024-05-01","injected":true'::text as day`,
      // Columns named as the JSON path names its select list (c0, c1, ...).
      'models/shadow.sql': `{{ config(materialized='table') }}
select id::int, c0::int, c1::text from (values (1, 3, 'x'), (2, 2, 'y'), (3, 1, 'z')) as v(id, c0, c1)`,
      'models/_liar.yml': `version: 2
models:
  - name: shadow
    config: { graphql: true }
    columns:
      - { name: id, data_type: integer, data_tests: [unique] }
      - { name: c0, data_type: integer }
      - { name: c1, data_type: text }
  - name: liar
    config: { graphql: true }
    columns:
      - { name: n, data_type: integer }
      - { name: b, data_type: bigint }
      - { name: d, data_type: numeric, meta: { graphql_type: Decimal } }
      - { name: f, data_type: double precision }
      - { name: ts, data_type: timestamptz }
      - { name: flag, data_type: boolean }
      - { name: day, data_type: date }
`,
    });
    const common = {
      projectDir: project.dir,
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      noParseCache: true,
    };
    const build = await runProject({ ...common, command: 'run' });
    expect(build.success).toBe(true);
    const serve = { ...common, port: 0, host: '127.0.0.1', log: () => undefined };
    json = await startServer({ ...serve, resultCacheEntries: 0 });
    objects = await startServer({ ...serve, resultCacheEntries: 0, jsonRows: false });
    // Watch (not replace) the statements the servers send on `edge`, to see which path a read took:
    // `json: <sql>` through queryJsonRows, `rows: <sql>` through query.
    const wh = pw.wh as Warehouse & Pick<Warehouse, 'query' | 'queryJsonRows'>;
    const watch = <A extends unknown[], R>(path: string, original: (sql: string, ...rest: A) => Promise<R>) =>
      function (this: Warehouse, sql: string, ...rest: A): Promise<R> {
        if (!sql.includes('"edge"')) return original.call(this, sql, ...rest);
        sent.push(`${path}: ${sql}`);
        const run = () => original.call(this, sql, ...rest);
        if (!holdUntil) return run();
        const until = holdUntil;
        return new Promise<void>((resolve) => {
          const began = Date.now();
          const poll = () => (until() || Date.now() - began > 20_000 ? resolve() : setTimeout(poll, 5));
          poll();
        }).then(run);
      };
    wh.query = watch('rows', wh.query) as Warehouse['query'];
    wh.queryJsonRows = watch('json', wh.queryJsonRows);
  }, 120_000);

  afterAll(async () => {
    delete (pw?.wh as Partial<Warehouse> | undefined)?.query;
    delete (pw?.wh as Partial<Warehouse> | undefined)?.queryJsonRows;
    await json?.close();
    await objects?.close();
    project?.cleanup();
    await pw?.cleanup();
  });

  it('answers every column of every awkward row as the object path does', async () => {
    const query = `{ edge(limit: 100) { rows { __typename ${FIELDS.join(' ')} } } }`;
    sent.length = 0;
    const jsonText = await post(json, query);
    expect(sent).toEqual([expect.stringMatching(/^json: /)]);
    const objectsText = await post(objects, query);
    // Byte for byte: every value spelled as JavaScript spells it (1e-7, 0 for -0, jsonb reformatted).
    expect(jsonText).toBe(objectsText);
    const [fromJson, fromObjects] = [JSON.parse(jsonText), JSON.parse(objectsText)];
    expect(fromObjects.errors).toBeUndefined();
    expect(fromObjects.data.edge.rows).toHaveLength(ROWS.length);
    expect(fromJson).toEqual(fromObjects);
    // Object.is: -0 would pass toEqual; JavaScript writes it as 0 and so must the JSON path.
    for (const row of fromJson.data.edge.rows)
      expect(Object.is(row.f, -0) || Object.is(row.r, -0)).toBe(false);
    expect(fromJson.data.edge.rows.map((r: { b: string }) => r.b)).toEqual([
      '0',
      '9007199254740993',
      '-9223372036854775808',
      null,
      '42',
      '43',
      '44',
    ]);
  });

  it('answers 200 random selections and pages as the object path does', async () => {
    const random = prng(20261122);
    for (let k = 0; k < 200; k++) {
      const { query, variables } = randomQuery(random);
      const [a, b] = [await post(json, query, variables), await post(objects, query, variables)];
      // Without meta (timings) the two answers are the same text.
      if (!query.includes('meta') && a !== b)
        throw new Error(`spelled differently for ${query} ${JSON.stringify(variables)}:\n${a}\n${b}`);
      const [pa, pb] = [JSON.parse(a), JSON.parse(b)];
      if (pa.data?.edge?.meta) delete pa.data.edge.meta;
      if (pb.data?.edge?.meta) delete pb.data.edge.meta;
      if (pa.data?.page?.meta) delete pa.data.page.meta;
      if (pb.data?.page?.meta) delete pb.data.page.meta;
      if (!isDeepStrictEqual(pa, pb))
        throw new Error(`differs for ${query} ${JSON.stringify(variables)}:\n${a}\n${b}`);
      expect(pb.errors).toBeUndefined();
    }
  });

  it('takes the object path for the same request with a relationship or a second rows key', async () => {
    sent.length = 0;
    const text = await post(json, '{ edge(limit: 2) { a: rows { id } b: rows { t } } }');
    expect(sent).toEqual([expect.stringMatching(/^rows: /)]);
    expect(JSON.parse(text).data.edge).toEqual({
      a: [{ id: 1 }, { id: 2 }],
      b: [{ t: 'plain' }, { t: 'quote " and \\ backslash' }],
    });
  });

  it('fails a value that is not of its declared type, as the object path does, writing none of it', async () => {
    for (const field of ['n', 'b', 'd']) {
      const query = `{ liar { rows { ${field} } } }`;
      const text = await post(json, query);
      const [a, b] = [JSON.parse(text), JSON.parse(await post(objects, query))];
      expect(a.errors?.length).toBeGreaterThan(0);
      expect(b.errors?.length).toBeGreaterThan(0);
      expect(a.data).toBeNull();
      // The value may be quoted in the error message, escaped; never as a key of its own.
      expect(text).not.toContain('"injected":true');
    }
    // The object path writes these as escaped strings (their scalars take any text); the JSON path's
    // casts refuse them rather than write a timestamp's or boolean's text unescaped.
    for (const field of ['f', 'ts', 'flag', 'day']) {
      const text = await post(json, `{ liar { rows { ${field} } } }`);
      expect(JSON.parse(text).errors?.length).toBeGreaterThan(0);
      expect(text).not.toContain('"injected":true');
    }
  });

  it("orders by the model's columns, not by its select list's names", async () => {
    for (const [order, ids] of [
      ['[{ column: C0 }]', [3, 2, 1]],
      ['[{ column: C1, direction: DESC }]', [3, 2, 1]],
      ['[{ column: C0, direction: DESC }]', [1, 2, 3]],
    ] as const) {
      const query = `{ shadow(orderBy: ${order}) { rows { id c1 c0 } } }`;
      const text = await post(json, query);
      expect(text).toBe(await post(objects, query));
      expect(JSON.parse(text).data.shadow.rows.map((r: { id: number }) => r.id)).toEqual(ids);
    }
  });

  it('never takes a row value for a placeholder', async () => {
    const text = await post(json, '{ edge(where: { id: { eq: 6 } }) { rows { t } } }');
    expect(JSON.parse(text).data.edge.rows).toEqual([{ t: '@martql-raw-json:0:0@' }]);
  });

  it('keeps two root fields apart and leaves no placeholder when a field errors', async () => {
    const text = await post(
      json,
      '{ one: edge(limit: 1) { rows { id } } two: edge(limit: 2, offset: 1) { rows { id } } bad: edge(limit: -1) { rows { id } } }',
    );
    const body = JSON.parse(text);
    expect(text).not.toContain('@martql-raw-json');
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.data).toBeNull();
    const ok = JSON.parse(
      await post(
        json,
        '{ one: edge(limit: 1) { rows { id } } two: edge(limit: 2, offset: 1) { rows { id } } }',
      ),
    );
    expect(ok.data).toEqual({ one: { rows: [{ id: 1 }] }, two: { rows: [{ id: 2 }, { id: 3 }] } });
  });

  it('serves a cached JSON page as it was read', async () => {
    const cached = await startServer({
      projectDir: project.dir,
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      noParseCache: true,
      port: 0,
      host: '127.0.0.1',
      log: () => undefined,
    });
    try {
      const query = `{ edge(limit: 100) { rows { ${FIELDS.join(' ')} } meta { cached } } }`;
      const first = JSON.parse(await post(cached, query));
      const second = JSON.parse(await post(cached, query));
      expect(first.data.edge.meta.cached).toBe(false);
      expect(second.data.edge.meta.cached).toBe(true);
      expect(second.data.edge.rows).toEqual(first.data.edge.rows);
      expect(first.data.edge.rows).toHaveLength(ROWS.length);

      // The same statement under other response keys is another answer: the keys are not in the SQL.
      const keyed = async (rows: string) =>
        JSON.parse(await post(cached, `{ edge(limit: 1) { rows { ${rows} } } }`)).data.edge.rows;
      for (let round = 0; round < 2; round++) {
        expect(await keyed('a: id')).toEqual([{ a: 1 }]);
        expect(await keyed('b: id')).toEqual([{ b: 1 }]);
        expect(await keyed('__typename id')).toEqual([{ __typename: 'Edge', id: 1 }]);
        expect(await keyed('id')).toEqual([{ id: 1 }]);
      }

      // Fifty identical new questions at once: the read is held until all fifty have missed the
      // cache, so all fifty share it — one statement, fifty answers read (not cached) by it.
      sent.length = 0;
      const missesBefore = cached.services.results.misses;
      holdUntil = () => cached.services.results.misses - missesBefore >= 50;
      const burst = `{ edge(limit: 3, offset: 2) { rows { id t } meta { cached } } }`;
      const answers = (await Promise.all(Array.from({ length: 50 }, () => post(cached, burst)))).map((a) =>
        JSON.parse(a),
      );
      holdUntil = undefined;
      expect(sent).toHaveLength(1);
      expect(answers.filter((a) => !a.data.edge.meta.cached)).toHaveLength(50);
      for (const a of answers) expect(a.data.edge.rows.map((r: { id: number }) => r.id)).toEqual([3, 4, 5]);
    } finally {
      await cached.close();
    }
  });
});
