/**
 * Depth and cost limits as GraphQL validation rules, so an expensive query is refused before any
 * resolver (or refresh) runs, with a coded error naming the limit and the figure.
 *
 * Depth counts nested fields (`{ a { b } }` is 2), through fragments. Cost counts one per field
 * resolved, as if every list returned as many items as its `limit` allows: a list field with a
 * `limit` argument costs 1 plus `limit` times its selection, and so does a list field directly
 * under a non-list field that takes the `limit` (a model page: `rows` under
 * `cohortRetention(limit:)`). A list with no limit in sight counts as one item. Validation runs before variables are known, so a `limit`
 * given by a variable counts as `variableLimit` (the API's largest limit): the worst case the
 * request could ask for. A `limit` not given counts as the argument's default.
 */
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface QueryLimits {
  /** Deepest field nesting allowed; the playground's introspection query needs 13. */
  maxDepth: number;
  /** Largest cost allowed (see the top of this file). */
  maxCost: number;
  /** What a `limit` given by a variable counts as. */
  variableLimit: number;
}

export const DEFAULT_MAX_DEPTH = 16;
export const DEFAULT_MAX_COST = 100_000;

function operationLabel(op: OperationDefinitionNode): string {
  return op.name ? `operation ${op.name.value}` : `the ${op.operation}`;
}

function rootType(schema: GraphQLSchema, op: OperationDefinitionNode): GraphQLNamedType | undefined {
  return schema.getRootType(op.operation) ?? undefined;
}

/** Walks an operation's fields through fragments, guarding against fragment cycles (another rule reports them). */
function fieldsOf(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  type: GraphQLNamedType | undefined,
  visit: (field: FieldNode, parentType: GraphQLNamedType | undefined) => void,
  spreading: Set<string> = new Set(),
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      visit(selection, type);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const narrowed = selection.typeCondition
        ? context.getSchema().getType(selection.typeCondition.name.value)
        : type;
      fieldsOf(context, selection.selectionSet, narrowed, visit, spreading);
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (!fragment || spreading.has(name)) continue;
      spreading.add(name);
      const narrowed = context.getSchema().getType(fragment.typeCondition.name.value);
      fieldsOf(context, fragment.selectionSet, narrowed, visit, spreading);
      spreading.delete(name);
    }
  }
}

function fieldDef(
  schema: GraphQLSchema,
  parentType: GraphQLNamedType | undefined,
  node: FieldNode,
): GraphQLField<unknown, unknown> | undefined {
  const name = node.name.value;
  if (name === SchemaMetaFieldDef.name && parentType === schema.getQueryType()) return SchemaMetaFieldDef;
  if (name === TypeMetaFieldDef.name && parentType === schema.getQueryType()) return TypeMetaFieldDef;
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parentType && (isObjectType(parentType) || isInterfaceType(parentType)))
    return parentType.getFields()[name];
  return undefined;
}

/** `spreading`: the fragments being walked, shared down the whole walk so a cycle stops it. */
export function depthOf(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  spreading: Set<string> = new Set(),
): number {
  let deepest = 0;
  fieldsOf(
    context,
    selectionSet,
    undefined,
    (field) => {
      const below = field.selectionSet ? depthOf(context, field.selectionSet, spreading) : 0;
      deepest = Math.max(deepest, 1 + below);
    },
    spreading,
  );
  return deepest;
}

export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context) => ({
    OperationDefinition(op) {
      const depth = depthOf(context, op.selectionSet);
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(
            `${operationLabel(op)} is ${depth} fields deep; the server's limit is ${maxDepth} (maxDepth)`,
            { nodes: [op], extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth } },
          ),
        );
      }
    },
  });
}

/** The `limit` a field asks for, or undefined when it takes no `limit` argument. */
function limitOf(def: GraphQLField<unknown, unknown> | undefined, node: FieldNode, variableLimit: number) {
  const arg = def?.args.find((a) => a.name === 'limit');
  if (!arg) return undefined;
  const given = node.arguments?.find((a) => a.name.value === 'limit')?.value;
  if (given?.kind === Kind.INT) return Math.max(0, Number(given.value));
  if (given?.kind === Kind.VARIABLE) return variableLimit;
  return typeof arg.defaultValue === 'number' ? arg.defaultValue : 1;
}

export function costOf(
  context: ValidationContext,
  op: OperationDefinitionNode,
  variableLimit: number,
): number {
  const schema = context.getSchema();
  const spreading = new Set<string>();
  const isList = (def: GraphQLField<unknown, unknown> | undefined) =>
    def !== undefined && isListType(getNullableType(def.type));

  const selectionCost = (
    selectionSet: SelectionSetNode,
    type: GraphQLNamedType | undefined,
    pendingLimit: number | undefined,
  ): number => {
    let total = 0;
    fieldsOf(
      context,
      selectionSet,
      type,
      (node, parentType) => {
        const def = fieldDef(schema, parentType, node);
        total += fieldCost(node, def, pendingLimit !== undefined && isList(def) ? pendingLimit : undefined);
      },
      spreading,
    );
    return total;
  };

  /** `inherited`: the limit of the parent when this is a list under it (a page's `rows`). */
  const fieldCost = (
    node: FieldNode,
    def: GraphQLField<unknown, unknown> | undefined,
    inherited: number | undefined,
  ): number => {
    if (!node.selectionSet) return 1;
    const limit = limitOf(def, node, variableLimit);
    const childType = def ? getNamedType(def.type) : undefined;
    // The field itself resolves once; what it returns is resolved once per item.
    if (isList(def) && (limit ?? inherited) !== undefined)
      return 1 + (limit ?? inherited)! * selectionCost(node.selectionSet, childType, undefined);
    return 1 + selectionCost(node.selectionSet, childType, limit);
  };

  return selectionCost(op.selectionSet, rootType(schema, op), undefined);
}

export function costLimitRule(maxCost: number, variableLimit: number): ValidationRule {
  return (context) => ({
    OperationDefinition(op) {
      const cost = costOf(context, op, variableLimit);
      if (cost > maxCost) {
        context.reportError(
          new GraphQLError(
            `${operationLabel(op)} costs ${cost} (one per field, times the limit of each list); the server's ` +
              `limit is ${maxCost} (maxCost). Ask for fewer rows or fewer fields.`,
            { nodes: [op], extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost } },
          ),
        );
      }
    },
  });
}

export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [depthLimitRule(limits.maxDepth), costLimitRule(limits.maxCost, limits.variableLimit)];
}
