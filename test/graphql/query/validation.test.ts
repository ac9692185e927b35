/**
 * Requests refused before any SQL exists (no database needed): bounds on limit, offset, depth,
 * width and list sizes; operators that do not apply to a column's kind; values and shapes of the
 * wrong type. Each error is a QueryError with code BAD_USER_INPUT naming the argument.
 */
import {
  buildSelect,
  DEFAULT_LIMITS,
  QueryError,
  type Filter,
  type SelectRequest,
} from '../../../src/graphql/query';
import { modelFor } from './fixture';

const model = modelFor('mart', 't');

function error(request: Partial<SelectRequest>): QueryError {
  try {
    buildSelect(model, { limit: 10, maxLimit: 100, ...request });
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  throw new Error('accepted');
}
const pathOf = (request: Partial<SelectRequest>) => error(request).path;
const where = (w: unknown) => pathOf({ where: w as Filter });

describe('limit and offset', () => {
  it.each([-1, 1.5, NaN, Infinity, 101, '10', null, 2 ** 53])('limit %p is refused', (limit) => {
    expect(pathOf({ limit: limit as number })).toBe('limit');
  });
  it.each([-1, 0.5, DEFAULT_LIMITS.maxOffset + 1, '0'])('offset %p is refused', (offset) => {
    expect(pathOf({ offset: offset as number })).toBe('offset');
  });
  it('limit 0 and limit = maxLimit are fine, and bound', () => {
    expect(buildSelect(model, { limit: 0, maxLimit: 100, columns: ['id'] }).params).toEqual([0, 0]);
    expect(buildSelect(model, { limit: 100, offset: 7, maxLimit: 100, columns: ['id'] })).toEqual({
      sql: 'select "id" from "mart"."t" order by "id" asc limit $1::int8 offset $2::int8',
      params: [100, 7],
    });
  });
  it('the error carries its code and path for extensions', () => {
    const e = error({ limit: 1000 });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.message).toBe('limit: at most 100 is allowed');
  });
});

describe('depth and width', () => {
  const nest = (levels: number, op: 'and' | 'or' | 'not'): Filter => {
    let f: Filter = { n: { eq: 1 } };
    for (let i = 0; i < levels; i++) f = op === 'not' ? { not: f } : { [op]: [f] };
    return f;
  };
  it.each(['and', 'or', 'not'] as const)('%s nests 10 levels, not 11', (op) => {
    expect(() => buildSelect(model, { where: nest(10, op), limit: 1, maxLimit: 1 })).not.toThrow();
    const path = error({ where: nest(11, op) }).path;
    expect(path.split(op).length - 1).toBe(11);
  });
  it('a cyclic filter stops at the depth bound', () => {
    const f: Filter = { n: { eq: 1 } };
    f.or = [f];
    expect(where(f)).toMatch(/^where(\.or\[0\]){10}\.or$/);
  });
  it('too many conditions', () => {
    const wide = { or: Array.from({ length: 250 }, (_, i) => ({ n: { eq: i } })) };
    expect(where(wide)).toMatch(/^where\.or\[\d+\]/);
    expect(() =>
      buildSelect(model, { where: wide, limit: 1, maxLimit: 1, limits: { maxConditions: 1000 } }),
    ).not.toThrow();
  });
  it('in lists: empty, too long', () => {
    expect(where({ n: { in: [] } })).toBe('where.n.in');
    expect(where({ n: { notIn: [] } })).toBe('where.n.notIn');
    expect(where({ n: { in: Array.from({ length: 1001 }, (_, i) => i) } })).toBe('where.n.in');
  });
  it('too many orderings', () => {
    const orderBy = Array.from({ length: 17 }, () => ({ column: 'n', direction: 'ASC' as const }));
    expect(pathOf({ orderBy })).toBe('orderBy');
    expect(pathOf({ orderBy: orderBy.slice(0, 2) })).toBe('orderBy[1]');
  });
});

describe('operators by kind', () => {
  it.each([
    [{ or: [{ n: { eq: 1 } }, { n: { like: '1%' } }] }, 'where.or[1].n.like'],
    [{ amount: { ilike: '1%' } }, 'where.amount.ilike'],
    [{ flag: { lt: true } }, 'where.flag.lt'],
    [{ payload: { eq: '{}' } }, 'where.payload.eq'],
    [{ payload: { in: ['{}'] } }, 'where.payload.in'],
    [{ d: { like: '2024%' } }, 'where.d.like'],
  ])('%j is refused at %s', (w, path) => {
    expect(where(w)).toBe(path);
  });
  it('json and booleans cannot be ordered by where Postgres has no order', () => {
    expect(pathOf({ orderBy: [{ column: 'payload', direction: 'ASC' }] })).toBe('orderBy[0].column');
    expect(() =>
      buildSelect(model, { orderBy: [{ column: 'flag', direction: 'DESC' }], limit: 1, maxLimit: 1 }),
    ).not.toThrow();
  });
});

describe('NULLs and shapes', () => {
  it.each([
    [{ n: { eq: null } }, 'where.n.eq', /use isNull/],
    [{ n: { in: [1, null] } }, 'where.n.in[1]', /use isNull/],
    [{ n: null }, 'where.n', /isNull/],
    [{ n: { isNull: 'true' } }, 'where.n.isNull', /true or false/],
    [{ and: {} }, 'where.and', /list/],
    [{ or: null }, 'where.or', /list/],
    [{ not: [] }, 'where.not', /object/],
    [{ n: { eq: {} } }, 'where.n.eq', /integer/],
    [{ n: { eq: [1] } }, 'where.n.eq', /integer/],
    [{ n: { eq: 2 ** 31 } }, 'where.n.eq', /32-bit/],
    [{ big: { eq: '9223372036854775808' } }, 'where.big.eq', /64-bit/],
    [{ d: { eq: '2023-02-29' } }, 'where.d.eq', /date/],
    [{ ts: { eq: '2024-01-01T25:00:00' } }, 'where.ts.eq', /timestamp/],
    [{ ts: { eq: '2024-01-01T10:00:00Z' } }, 'where.ts.eq', /offset/],
    [{ tstz: { eq: '2024-01-01T10:00:00' } }, 'where.tstz.eq', /offset/],
    [{ name: { like: 'abc\\' } }, 'where.name.like', /backslash/],
    [{ name: { eq: 5 } }, 'where.name.eq', /string/],
    [{ x: { eq: Infinity } }, 'where.x.eq', /finite/],
    ['channel', 'where', /object/],
  ])('%j', (w, path, message) => {
    const e = error({ where: w as Filter });
    expect(e.path).toBe(path);
    expect(e.message).toMatch(message);
  });

  it('accepts null-prototype input objects, as graphql-js builds them', () => {
    const w = Object.assign(Object.create(null), { n: Object.assign(Object.create(null), { eq: 1 }) });
    expect(buildSelect(model, { where: w, columns: ['id'], limit: 1, maxLimit: 1 }).sql).toBe(
      'select "id" from "mart"."t" where "n" = $1::int order by "id" asc limit $2::int8 offset $3::int8',
    );
  });

  it('selects columns in declared order, once, so the SQL does not depend on field order', () => {
    const a = buildSelect(model, { columns: ['name', 'id', 'name'], limit: 1, maxLimit: 1 });
    expect(a.sql).toBe(
      'select "id", "name" from "mart"."t" order by "id" asc limit $1::int8 offset $2::int8',
    );
    expect(buildSelect(model, { columns: ['id', 'name'], limit: 1, maxLimit: 1 }).sql).toBe(a.sql);
  });
});
