/**
 * Which models the API serves and how each is named: a model is exposed when its config sets
 * `graphql` (in YAML, `dbt_project.yml` or `config()`), and it is described by its declared
 * columns only, so this is pure manifest work. Everything downstream (types, resolvers, SDL) reads
 * these records rather than the manifest, and they are sorted by name so the schema is
 * deterministic.
 */
import { MartqlError } from '../../errors';
import type { Manifest, ManifestNode } from '../../graph/types';
import type { ColumnKind, ModelColumns } from '../query';
import { enumValueName, fieldName, typeName } from './names';
import { requireKind, wantsExactDecimal } from './type-map';

export interface ExposedColumn {
  /** The SQL name, as declared. */
  name: string;
  /** The GraphQL field name (`conversionId`). */
  field: string;
  /** The `<Model>Column` enum value (`CONVERSION_ID`). */
  enumValue: string;
  kind: ColumnKind;
  /** A numeric column served as an exact Decimal string rather than a Float. */
  exact: boolean;
  description: string;
}

/**
 * A many-to-one link from a `relationships` test between two exposed models: each row of the
 * model has at most one row of `target` whose `targetColumn` equals its `column`.
 */
export interface ExposedRelation {
  /** The field on the row type (`customerClv`). */
  field: string;
  /** The SQL column of this model holding the key. */
  column: string;
  target: string;
  /** The SQL column of the target it matches. */
  targetColumn: string;
}

export interface ExposedModel {
  uniqueId: string;
  name: string;
  node: ManifestNode;
  /** `CustomerClv`. */
  typeName: string;
  /** `customerClv`. */
  fieldName: string;
  columns: ExposedColumn[];
  /** What the query builder needs: the relation and the declared columns by SQL name. */
  query: ModelColumns;
  /** Links to other exposed models, from `relationships` tests. */
  relations: ExposedRelation[];
}

/**
 * Query fields of the fixed surface. A model whose field would take one of these names (the
 * example project exposes `model_performance`) is served as `<field>Rows` instead: the fixed
 * surface is the API's contract and must not change with a project. `graphql: { name: other }`
 * in the model's config picks another base name.
 */
export const RESERVED_FIELDS: ReadonlySet<string> = new Set(['models', 'model', 'runHistory', 'modelPerformance', 'refreshJob']);

/** The base name of a model's GraphQL names: `graphql: { name }` when given, else the model name. */
function graphqlBaseName(node: ManifestNode): string {
  const flag = node.config.graphql;
  if (flag && typeof flag === 'object' && typeof (flag as { name?: unknown }).name === 'string')
    return (flag as { name: string }).name;
  return node.name;
}

export function isExposed(node: ManifestNode): boolean {
  const flag = node.config.graphql;
  return node.resourceType === 'model' && node.config.materialized !== 'ephemeral' && Boolean(flag) && flag !== 'false';
}

/** Columns a `unique` test covers on its own: a real key, used to make pagination stable. */
function uniqueKey(manifest: Manifest, node: ManifestNode, declared: Set<string>): string[] | undefined {
  for (const childId of manifest.children.get(node.uniqueId) ?? []) {
    const test = manifest.nodes.get(childId);
    if (
      test?.testMetadata?.name === 'unique' &&
      test.attachedNode === node.uniqueId &&
      test.columnName &&
      declared.has(test.columnName)
    )
      return [test.columnName];
  }
  return undefined;
}

function exposedModel(manifest: Manifest, node: ManifestNode): ExposedModel {
  const fields = new Map<string, string>();
  const columns = node.columns.map((c): ExposedColumn => {
    const kind = requireKind(node.name, c.name, c.dataType);
    const column: ExposedColumn = {
      name: c.name,
      field: fieldName(c.name),
      enumValue: enumValueName(c.name),
      kind,
      exact: wantsExactDecimal(node.name, c.name, kind, c.meta ?? {}),
      description: c.description,
    };
    const clash = fields.get(column.field);
    if (clash !== undefined)
      throw new MartqlError(
        'YAML_SCHEMA',
        `columns '${clash}' and '${c.name}' of model '${node.name}' both become the GraphQL field '${column.field}'`,
      );
    fields.set(column.field, c.name);
    return column;
  });
  if (columns.length === 0) {
    throw new MartqlError('YAML_SCHEMA', `exposed model '${node.name}' declares no columns`, {
      hint: 'declare its columns with data_type in a YAML properties file',
    });
  }
  const relation = node.relation;
  if (!relation) throw new MartqlError('INTERNAL', `model '${node.name}' has no relation`);
  const key = uniqueKey(manifest, node, new Set(columns.map((c) => c.name)));
  const base = graphqlBaseName(node);
  const field = fieldName(base);
  return {
    uniqueId: node.uniqueId,
    name: node.name,
    node,
    typeName: typeName(base),
    fieldName: RESERVED_FIELDS.has(field) ? `${field}Rows` : field,
    columns,
    query: {
      relation: { schema: relation.schema, identifier: relation.identifier },
      columns: columns.map((c) => ({ name: c.name, kind: c.kind })),
      ...(key ? { key } : {}),
    },
    relations: [],
  };
}

/**
 * The relationships tests of `model` whose target is another exposed model with the tested field
 * declared unique. The field is named after the target (`customerClv`); when that is taken (by a column,
 * or by a second link to the same target) it is prefixed with the column (`referrerIdCustomerClv`).
 */
function relationsOf(manifest: Manifest, model: ExposedModel, byId: Map<string, ExposedModel>): ExposedRelation[] {
  const taken = new Set(model.columns.map((c) => c.field));
  const out: ExposedRelation[] = [];
  const testIds = [...(manifest.children.get(model.uniqueId) ?? [])].sort();
  for (const testId of testIds) {
    const test = manifest.nodes.get(testId);
    const column = test?.columnName;
    if (test?.testMetadata?.name !== 'relationships' || test.attachedNode !== model.uniqueId || !column) continue;
    const targetId = (manifest.parents.get(testId) ?? []).find((p) => p !== model.uniqueId && byId.has(p));
    const targetColumn = test.testMetadata.kwargs.field;
    const target = targetId ? byId.get(targetId) : undefined;
    if (!target || typeof targetColumn !== 'string') continue;
    if (!model.columns.some((c) => c.name === column)) continue;
    // Many-to-one only where the target declares the field unique (a `unique` test on it).
    if (target.query.key?.length !== 1 || target.query.key[0] !== targetColumn) continue;
    if (out.some((r) => r.column === column && r.target === target.uniqueId)) continue;
    let field = target.fieldName;
    if (taken.has(field)) field = `${fieldName(column)}${target.typeName}`;
    if (taken.has(field)) continue;
    taken.add(field);
    out.push({ field, column, target: target.uniqueId, targetColumn });
  }
  return out;
}

/** The exposed models of a manifest, sorted by name; two that share a GraphQL name are an error. */
export function exposedModels(manifest: Manifest): ExposedModel[] {
  const models = [...manifest.nodes.values()]
    .filter(isExposed)
    .map((node) => exposedModel(manifest, node))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.uniqueId < b.uniqueId ? -1 : 1));
  const seen = new Map<string, string>();
  for (const m of models) {
    const other = seen.get(m.typeName);
    if (other)
      throw new MartqlError('YAML_SCHEMA', `models '${other}' and '${m.uniqueId}' both become GraphQL type '${m.typeName}'`);
    seen.set(m.typeName, m.uniqueId);
  }
  const byId = new Map(models.map((m) => [m.uniqueId, m]));
  for (const m of models) m.relations = relationsOf(manifest, m, byId);
  return models;
}
