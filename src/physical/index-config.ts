/**
 * The `indexes` config of table and incremental models, as dbt-postgres users write it:
 *
 *     {{ config(indexes=[{'columns': ['customer_id']},
 *                        {'columns': ['attribution_model', 'converted_at desc'], 'type': 'btree'},
 *                        {'columns': ['conversion_id'], 'unique': true}]) }}
 *
 * Read and validated before anything is built, so a typo fails the model with its name instead of
 * halfway through a swap. dbt-postgres pastes `columns` into the SQL as written; MartQL quotes every
 * column as an identifier (names come only from the project, never as SQL text) and accepts a
 * direction and NULLS placement after the name, which is what people write there in practice.
 *
 * Names are deterministic: the model's identifier, the columns and a short hash of the whole spec.
 * Rebuilding the same config gives the same names (so a swap can rename the new table's indexes to
 * exactly what the old table had, and an incremental run can tell an index it already made from a
 * new one), and two different specs never share a name.
 */
import { createHash } from 'node:crypto';
import { fitIdentifier } from '../materialize/names';
import type { RelationName } from '../materialize/types';
import type { NodeConfig } from '../project/types';
import { quoteIdent } from '../warehouse';
import { physicalConfigError } from './config-error';

export const INDEX_TYPES = ['btree', 'hash', 'gin', 'brin'] as const;
export type IndexType = (typeof INDEX_TYPES)[number];

export interface IndexColumn {
  name: string;
  direction?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

export interface IndexSpec {
  columns: IndexColumn[];
  unique: boolean;
  type: IndexType;
  /** The index's name once it is on the model's relation. */
  name: string;
  /** A short hash of columns, uniqueness and type: what makes two specs the same index. */
  hash: string;
}

const INDEX_KEYS = new Set(['columns', 'unique', 'type']);

// `name`, `"Quoted Name"`, then optionally `asc|desc` and `nulls first|last`.
const COLUMN_PATTERN =
  /^\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))\s*(asc|desc)?\s*(?:nulls\s+(first|last))?\s*$/i;

function parseColumn(model: RelationName, raw: unknown): IndexColumn {
  const text = typeof raw === 'string' ? raw : undefined;
  const match = text === undefined ? null : COLUMN_PATTERN.exec(text);
  if (!match) {
    throw physicalConfigError(
      model,
      `indexes: ${JSON.stringify(raw)} is not a column name`,
      "write a column name, optionally followed by asc/desc and nulls first/last ('converted_at desc')",
    );
  }
  const column: IndexColumn = { name: match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2] };
  if (match[3]) column.direction = match[3].toLowerCase() as IndexColumn['direction'];
  if (match[4]) column.nulls = match[4].toLowerCase() as IndexColumn['nulls'];
  return column;
}

function parseIndex(model: RelationName, raw: unknown, position: number): Omit<IndexSpec, 'name'> {
  const where = `indexes[${position}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw physicalConfigError(model, `${where} must be a mapping with \`columns\``);
  }
  const entry = raw as Record<string, unknown>;
  const unknown = Object.keys(entry).filter((k) => !INDEX_KEYS.has(k));
  if (unknown.length > 0) {
    throw physicalConfigError(
      model,
      `${where} has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}`,
      'an index takes columns, unique and type',
    );
  }
  const rawColumns = typeof entry.columns === 'string' ? [entry.columns] : entry.columns;
  if (!Array.isArray(rawColumns) || rawColumns.length === 0) {
    throw physicalConfigError(model, `${where} needs \`columns\`: a list of column names`);
  }
  const columns = rawColumns.map((c) => parseColumn(model, c));
  const rawType = entry.type ?? 'btree';
  const type = typeof rawType === 'string' ? rawType.toLowerCase() : rawType;
  if (!(INDEX_TYPES as readonly unknown[]).includes(type)) {
    throw physicalConfigError(
      model,
      `${where}: index type '${String(rawType)}' is not supported (use ${INDEX_TYPES.join(', ')})`,
    );
  }
  if (entry.unique !== undefined && typeof entry.unique !== 'boolean') {
    throw physicalConfigError(model, `${where}: unique must be true or false`);
  }
  const unique = entry.unique === true;
  if (unique && type !== 'btree') {
    throw physicalConfigError(model, `${where}: only btree indexes can be unique in Postgres, not ${type}`);
  }
  if (type === 'hash' && columns.length > 1) {
    throw physicalConfigError(model, `${where}: a hash index covers one column in Postgres`);
  }
  if (type !== 'btree' && columns.some((c) => c.direction || c.nulls)) {
    throw physicalConfigError(model, `${where}: asc/desc and nulls first/last apply to btree indexes only`);
  }
  const canonical = JSON.stringify({ columns, unique, type });
  return {
    columns,
    unique,
    type: type as IndexType,
    hash: createHash('sha256').update(canonical).digest('hex').slice(0, 8),
  };
}

/** `<identifier>__<columns>__<hash>`, cut to Postgres's 63 bytes (with a hash of the cut) when long. */
export function indexName(identifier: string, spec: Pick<IndexSpec, 'columns' | 'hash'>): string {
  const columns = spec.columns.map((c) => c.name.toLowerCase().replace(/[^a-z0-9_]/g, '_')).join('_');
  return fitIdentifier(`${identifier}__${columns}__${spec.hash}`);
}

/** Reads `indexes`; duplicates of one spec collapse into one index. */
export function readIndexes(config: NodeConfig, model: RelationName): IndexSpec[] {
  const raw = config.indexes;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    throw physicalConfigError(model, 'indexes must be a list of {columns, unique, type} mappings');
  }
  const byHash = new Map<string, IndexSpec>();
  raw.forEach((entry, i) => {
    const spec = parseIndex(model, entry, i);
    if (!byHash.has(spec.hash)) byHash.set(spec.hash, { ...spec, name: indexName(model.identifier, spec) });
  });
  return [...byHash.values()];
}

/** `create [unique] index "name" on <table> using <type> ("a", "b" desc)`. */
export function createIndexSql(spec: IndexSpec, table: string, name: string): string {
  const columns = spec.columns
    .map((c) => [quoteIdent(c.name), c.direction, c.nulls && `nulls ${c.nulls}`].filter(Boolean).join(' '))
    .join(', ');
  return `create ${spec.unique ? 'unique ' : ''}index ${quoteIdent(name)} on ${table} using ${spec.type} (${columns})`;
}
