/**
 * Whether a model query's rows can come back as JSON text from the warehouse (raw-json.ts), and with
 * which keys: when `rows` is selected under one response key and every field under it is a column
 * or `__typename`. A relationship field needs its rows as objects (the DataLoaders read their
 * keys), so a selection with one takes the ordinary path.
 *
 * The keys follow graphql-js's own field collection: response keys (aliases) in the order they
 * first appear, fragments expanded in place, `@skip`/`@include` applied; a key seen twice is one
 * field (validation makes sure both ask the same thing).
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { JsonRowField } from '../query';
import type { ExposedModel } from '../schema';
import { fieldsOf } from './selection';

export interface JsonRowsPlan {
  /** The response path of the `rows` list. */
  path: string[];
  fields: JsonRowField[];
}

export function jsonRowsPlan(info: GraphQLResolveInfo, model: ExposedModel): JsonRowsPlan | undefined {
  const top = fieldsOf(
    info.fieldNodes.map((n) => n.selectionSet),
    info,
  );
  const rowNodes = top.filter((f) => f.name.value === 'rows');
  const keys = new Set(rowNodes.map((f) => f.alias?.value ?? f.name.value));
  if (keys.size !== 1) return undefined;
  const columns = new Map(model.columns.map((c) => [c.field, c]));
  const fields: JsonRowField[] = [];
  const seen = new Set<string>();
  for (const node of fieldsOf(
    rowNodes.map((n) => n.selectionSet),
    info,
  )) {
    const key = node.alias?.value ?? node.name.value;
    if (seen.has(key)) continue;
    seen.add(key);
    if (node.name.value === '__typename') {
      fields.push({ key, constant: model.typeName });
      continue;
    }
    const column = columns.get(node.name.value);
    if (!column) return undefined;
    fields.push({ key, column: column.name, exact: column.exact });
  }
  const rootKey = info.path.key;
  if (typeof rootKey !== 'string' || info.path.prev !== undefined) return undefined;
  return { path: [rootKey, [...keys][0]], fields };
}
