/**
 * From a model field's GraphQL arguments to the query builder's request, and back for errors.
 *
 * Filter keys arrive as GraphQL field names (`conversionId`) and become SQL column names
 * (`conversion_id`); order columns arrive as enum values that already carry SQL names. GraphQL has
 * validated the shape, but the builder checks everything again (it trusts nothing), and its
 * `QueryError` path uses SQL names: `graphqlPath` turns it back into the argument path the client
 * wrote, so `extensions.argumentPath` names what the client can fix.
 */
import { GraphQLError } from 'graphql';
import { QueryError, type Filter, type Order } from '../query';
import type { ExposedModel } from '../schema';

const COMBINATORS: ReadonlySet<string> = new Set(['and', 'or', 'not']);

function fieldsToColumns(model: ExposedModel): Map<string, string> {
  return new Map(model.columns.map((c) => [c.field, c.name]));
}

/** The filter with column fields renamed to SQL names; unknown keys are kept for the builder to refuse. */
export function toFilter(model: ExposedModel, where: unknown): Filter | undefined {
  if (where === undefined || where === null) return undefined;
  const names = fieldsToColumns(model);
  const rename = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rename);
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (inner === undefined) continue;
      if (COMBINATORS.has(key)) out[key] = rename(inner);
      else out[names.get(key) ?? key] = inner;
    }
    return out;
  };
  return rename(where) as Filter;
}

interface OrderArg {
  column: string;
  direction?: 'ASC' | 'DESC' | null;
  nulls?: 'FIRST' | 'LAST' | null;
}

export function toOrder(orderBy: readonly OrderArg[] | null | undefined): Order[] | undefined {
  if (!orderBy) return undefined;
  return orderBy.map((o) => ({
    column: o.column,
    direction: o.direction ?? 'ASC',
    ...(o.nulls ? { nulls: o.nulls } : {}),
  }));
}

/** `where.or[1].conversion_id.eq` → `where.or[1].conversionId.eq`. */
export function graphqlPath(model: ExposedModel, path: string): string {
  const fields = new Map(model.columns.map((c) => [c.name, c.field]));
  // Plain segments only: the builder quotes any other key as a JSON string, left as it is.
  return path.replace(/(^|\.)([A-Za-z_][A-Za-z0-9_]*)/g, (whole, dot: string, name: string) => {
    const field = fields.get(name);
    return field === undefined ? whole : `${dot}${field}`;
  });
}

/** A QueryError as the GraphQL error the client sees; anything else unchanged. */
export function asUserError(model: ExposedModel, err: unknown): unknown {
  if (!(err instanceof QueryError)) return err;
  const argumentPath = graphqlPath(model, err.path);
  const reason =
    err.path && err.message.startsWith(`${err.path}: `)
      ? err.message.slice(err.path.length + 2)
      : err.message;
  return new GraphQLError(argumentPath ? `${argumentPath}: ${reason}` : reason, {
    extensions: { code: 'BAD_USER_INPUT', argumentPath },
  });
}
