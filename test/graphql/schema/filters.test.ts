/**
 * The filter inputs offer exactly what the query builder accepts: every offered operator compiles
 * for a column of its kind, and every operator left out is one the builder refuses.
 */
import { buildSelect, QueryError, type ColumnKind, type ColumnOperator, type ModelColumns } from '../../../src/graphql/query';
import { operatorsOf } from '../../../src/graphql/schema';

const SAMPLE: Record<ColumnKind, unknown> = {
  int: 1,
  bigint: '9007199254740993',
  float: 1.5,
  decimal: 2.25,
  text: 'a',
  boolean: true,
  date: '2024-05-01',
  timestamp: '2024-05-01T12:00:00',
  timestamptz: '2024-05-01T12:00:00Z',
  json: '{}',
};
const ALL: ColumnOperator[] = ['eq', 'ne', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte', 'like', 'ilike', 'isNull'];

function valueFor(op: ColumnOperator, kind: ColumnKind): unknown {
  switch (op) {
    case 'isNull':
      return true;
    case 'in':
    case 'notIn':
      return [SAMPLE[kind]];
    case 'like':
    case 'ilike':
      return 'a%';
    default:
      return SAMPLE[kind];
  }
}

describe('filter operators per column kind', () => {
  for (const kind of Object.keys(SAMPLE) as ColumnKind[]) {
    it(`${kind}: offered operators compile, the others are refused`, () => {
      const model: ModelColumns = { relation: { schema: 's', identifier: 't' }, columns: [{ name: 'c', kind }] };
      const offered = new Set(operatorsOf(kind));
      for (const op of ALL) {
        const build = () => buildSelect(model, { where: { c: { [op]: valueFor(op, kind) } }, limit: 1, maxLimit: 10 });
        if (offered.has(op)) expect(build).not.toThrow();
        else expect(build).toThrow(QueryError);
      }
    });
  }
});
