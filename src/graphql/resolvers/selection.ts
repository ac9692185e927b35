/**
 * What a model query's client selected, read from the resolve info: which row fields (so only
 * those columns are read) and whether `totalCount` is asked for (so the count query runs only
 * then). Fragments, inline fragments, aliases and `@skip`/`@include` are all honoured.
 */
import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

function included(node: Parameters<typeof getDirectiveValues>[1], info: GraphQLResolveInfo): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
}

/** The field nodes directly under the selection sets, through fragments, in document order. */
export function fieldsOf(
  sets: readonly (SelectionSetNode | undefined)[],
  info: GraphQLResolveInfo,
): FieldNode[] {
  const out: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (!included(selection, info)) continue;
      switch (selection.kind) {
        case Kind.FIELD:
          out.push(selection);
          break;
        case Kind.INLINE_FRAGMENT:
          visit(selection.selectionSet);
          break;
        case Kind.FRAGMENT_SPREAD:
          visit(info.fragments[selection.name.value]?.selectionSet);
          break;
        default: {
          const never: never = selection;
          throw new Error(`unexpected selection ${JSON.stringify(never)}`);
        }
      }
    }
  };
  sets.forEach(visit);
  return out;
}

export interface PageSelection {
  /** Row field names selected (GraphQL names), `__typename` excluded. */
  rowFields: Set<string>;
  rows: boolean;
  totalCount: boolean;
  meta: boolean;
}

export function pageSelection(info: GraphQLResolveInfo): PageSelection {
  const top = fieldsOf(
    info.fieldNodes.map((n) => n.selectionSet),
    info,
  );
  const named = (name: string) => top.filter((f) => f.name.value === name);
  const rowNodes = named('rows');
  const rowFields = new Set(
    fieldsOf(
      rowNodes.map((n) => n.selectionSet),
      info,
    )
      .map((f) => f.name.value)
      .filter((name) => !name.startsWith('__')),
  );
  return {
    rowFields,
    rows: rowNodes.length > 0,
    totalCount: named('totalCount').length > 0,
    meta: named('meta').length > 0,
  };
}

export interface AggregateSelection {
  rows: boolean;
  meta: boolean;
  count: boolean;
  /** Per function, the GraphQL field names selected under it (`sum { revenue }`). */
  functions: Record<'sum' | 'avg' | 'min' | 'max', Set<string>>;
}

/** What an aggregate query's client selected under `rows`: count and the fields of each function. */
export function aggregateSelection(info: GraphQLResolveInfo): AggregateSelection {
  const top = fieldsOf(
    info.fieldNodes.map((n) => n.selectionSet),
    info,
  );
  const rowNodes = top.filter((f) => f.name.value === 'rows');
  const inRows = fieldsOf(
    rowNodes.map((n) => n.selectionSet),
    info,
  );
  const under = (name: string) =>
    new Set(
      fieldsOf(
        inRows.filter((f) => f.name.value === name).map((f) => f.selectionSet),
        info,
      )
        .map((f) => f.name.value)
        .filter((field) => !field.startsWith('__')),
    );
  return {
    rows: rowNodes.length > 0,
    meta: top.some((f) => f.name.value === 'meta'),
    count: inRows.some((f) => f.name.value === 'count'),
    functions: { sum: under('sum'), avg: under('avg'), min: under('min'), max: under('max') },
  };
}
