/**
 * The model as the builders see it: its declared columns by name, and the only way a name from a
 * request becomes an identifier in SQL. A name that is not declared is a QueryError naming the
 * argument; a declared one is always quoted with `quoteIdent`.
 */
import { MartqlError } from '../../errors';
import { qualify, quoteIdent } from '../../warehouse';
import { QueryError, type PathSegment } from './errors';
import { kindInfo } from './kinds';
import { DEFAULT_LIMITS, type ModelColumn, type ModelColumns, type QueryLimits } from './types';

export interface ResolvedModel {
  /** `"schema"."identifier"`. */
  relation: string;
  /** Declared columns in declared order. */
  columns: readonly ModelColumn[];
  byName: ReadonlyMap<string, ModelColumn>;
  key: readonly ModelColumn[];
}

// Models are built once from the manifest and reused for every request.
const cache = new WeakMap<ModelColumns, ResolvedModel>();

export function resolveModel(model: ModelColumns): ResolvedModel {
  const cached = cache.get(model);
  if (cached) return cached;
  // A Map, not an object: request names such as `__proto__` or `constructor` must find nothing.
  const byName = new Map<string, ModelColumn>();
  for (const column of model.columns) {
    kindInfo(column.kind);
    if (byName.has(column.name)) {
      throw new MartqlError('INTERNAL', `model column '${column.name}' is declared twice`);
    }
    byName.set(column.name, column);
  }
  const key = (model.key ?? []).map((name) => {
    const column = byName.get(name);
    if (!column) throw new MartqlError('INTERNAL', `model key column '${name}' is not a declared column`);
    return column;
  });
  const resolved: ResolvedModel = {
    relation: qualify(model.relation.schema, model.relation.identifier),
    columns: model.columns.slice(),
    byName,
    key,
  };
  cache.set(model, resolved);
  return resolved;
}

/** The declared column `name`, or a QueryError at `path`. */
export function column(model: ResolvedModel, name: unknown, path: readonly PathSegment[]): ModelColumn {
  if (typeof name !== 'string') throw new QueryError(path, 'expected a column name');
  const found = model.byName.get(name);
  if (!found) throw new QueryError(path, `unknown column ${JSON.stringify(name)}`);
  return found;
}

/** The quoted identifier of a declared column. */
export function ident(col: ModelColumn): string {
  return quoteIdent(col.name);
}

/**
 * The selected columns in declared order (so one selection always gives one SQL text), each
 * checked; every column when `names` is absent.
 */
export function selectedColumns(
  model: ResolvedModel,
  names: unknown,
  path: readonly PathSegment[],
): ModelColumn[] {
  if (names === undefined) return model.columns.slice();
  if (!Array.isArray(names)) throw new QueryError(path, 'expected a list of column names');
  const wanted = new Set<string>();
  names.forEach((name, i) => wanted.add(column(model, name, [...path, i]).name));
  return model.columns.filter((c) => wanted.has(c.name));
}

export function resolveLimits(overrides: Partial<QueryLimits> | undefined): QueryLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
