/**
 * The per-column operator inputs of `where` (`IntFilter`, `StringFilter`, ...), one per scalar and
 * shared by every model. Each offers exactly the operators the query builder accepts for its
 * column kinds (see `graphql/query/kinds.ts`; test/graphql/schema checks the two agree), so a
 * request the schema admits is one the builder can compile.
 */
import {
  GraphQLBoolean,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLString,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
} from 'graphql';
import { MartqlError } from '../../errors';
import type { ColumnKind, ColumnOperator } from '../query';
import { scalarOfColumn } from './type-map';

/** The filter families: kinds that share a scalar share a filter input. */
type Family = 'Int' | 'BigInt' | 'Float' | 'Decimal' | 'String' | 'Boolean' | 'Date' | 'DateTime' | 'JSON';

function familyOf(kind: ColumnKind): Family {
  switch (kind) {
    case 'int':
      return 'Int';
    case 'bigint':
      return 'BigInt';
    case 'float':
    case 'decimal':
      return 'Float';
    case 'text':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'date':
      return 'Date';
    case 'timestamp':
    case 'timestamptz':
      return 'DateTime';
    case 'json':
      return 'JSON';
    default: {
      const never: never = kind;
      throw new MartqlError('INTERNAL', `no filter for column kind ${String(never)}`);
    }
  }
}

const EQUALITY: ColumnOperator[] = ['eq', 'ne', 'in', 'notIn'];
const ORDERED: ColumnOperator[] = ['lt', 'lte', 'gt', 'gte'];
const PATTERN: ColumnOperator[] = ['like', 'ilike'];

/** The operators a column of `kind` offers, in SDL order. */
export function operatorsOf(kind: ColumnKind): ColumnOperator[] {
  switch (familyOf(kind)) {
    case 'String':
      return [...EQUALITY, ...ORDERED, ...PATTERN, 'isNull'];
    case 'Boolean':
      return [...EQUALITY, 'isNull'];
    case 'JSON':
      return ['isNull'];
    case 'Int':
    case 'BigInt':
    case 'Float':
    case 'Decimal':
    case 'Date':
    case 'DateTime':
      return [...EQUALITY, ...ORDERED, 'isNull'];
  }
}

const DESCRIPTIONS: Record<ColumnOperator, string> = {
  eq: 'Equal (false on NULL; use isNull for NULLs).',
  ne: 'Not equal (true on NULL).',
  in: 'One of these values (non-empty).',
  notIn: 'None of these values (true on NULL).',
  lt: 'Less than.',
  lte: 'Less than or equal.',
  gt: 'Greater than.',
  gte: 'Greater than or equal.',
  like: 'Postgres LIKE pattern (`%`, `_`, `\\` escapes).',
  ilike: 'Case-insensitive LIKE.',
  isNull: 'true: only NULLs; false: only non-NULLs.',
};

function operatorType(op: ColumnOperator, scalar: GraphQLInputType): GraphQLInputType {
  switch (op) {
    case 'in':
    case 'notIn':
      return new GraphQLList(new GraphQLNonNull(scalar));
    case 'isNull':
      return GraphQLBoolean;
    case 'like':
    case 'ilike':
      return GraphQLString;
    case 'eq':
    case 'ne':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return scalar;
  }
}

/** One instance per schema: graphql-js requires one object per type name. */
export class FilterInputs {
  private readonly byFamily = new Map<Family, GraphQLInputObjectType>();

  /** The filter input of a column kind (`exact`: a numeric column served as Decimal). */
  of(kind: ColumnKind, exact = false): GraphQLInputObjectType {
    const family = exact && kind === 'decimal' ? 'Decimal' : familyOf(kind);
    const existing = this.byFamily.get(family);
    if (existing) return existing;
    const scalar = scalarOfColumn({ kind, exact });
    const fields: GraphQLInputFieldConfigMap = {};
    for (const op of operatorsOf(kind)) fields[op] = { type: operatorType(op, scalar), description: DESCRIPTIONS[op] };
    const type = new GraphQLInputObjectType({
      name: `${family}Filter`,
      description: `Conditions on a ${family} column; all given must hold.`,
      fields,
    });
    this.byFamily.set(family, type);
    return type;
  }
}
