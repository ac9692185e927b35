/**
 * The SQL the warehouse layer itself emits: catalog introspection and COPY statements. Kept in one
 * place so both databases run the exact same text (PGlite is Postgres, so pg_catalog works on both).
 */
import { MartqlError } from '../errors';
import type { CopySpec } from './protocol';
import { qualify, quoteIdent, quoteLiteral } from './quote';
import type { Column, Relation, RelationType } from './types';

const RELKINDS: Record<string, RelationType> = {
  r: 'table',
  v: 'view',
  m: 'materialized_view',
  f: 'foreign_table',
  p: 'partitioned_table',
};

const RELATIONS = `
select n.nspname as schema, c.relname as name, c.relkind::text as relkind
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relkind in ('r', 'v', 'm', 'f', 'p')`;

export const GET_RELATION = `${RELATIONS} and c.relname = $2`;
export const LIST_RELATIONS = `${RELATIONS} order by c.relname`;

export const GET_COLUMNS = `
select a.attname as name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) as data_type,
       row_number() over (order by a.attnum)::int as ordinal,
       not a.attnotnull as nullable
from pg_catalog.pg_attribute a
join pg_catalog.pg_class c on c.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relname = $2 and a.attnum > 0 and not a.attisdropped
order by a.attnum`;

export const SCHEMA_EXISTS = `select exists (select 1 from pg_catalog.pg_namespace where nspname = $1) as exists`;

export interface RelationRow {
  schema: string;
  name: string;
  relkind: string;
}

export interface ColumnRow {
  name: string;
  data_type: string;
  ordinal: number;
  nullable: boolean;
}

export function toRelation(row: RelationRow): Relation {
  return { schema: row.schema, name: row.name, type: RELKINDS[row.relkind] };
}

export function toColumn(row: ColumnRow): Column {
  return { name: row.name, dataType: row.data_type, ordinal: row.ordinal, nullable: row.nullable };
}

/** `COPY "s"."t" ("a", "b") FROM <source> WITH (FORMAT csv, ...)`; `source` is STDIN or a file literal. */
export function copyStatement(spec: CopySpec, source: 'STDIN' | '/dev/blob'): string {
  const { delimiter = ',', nullString = '' } = spec.options;
  if (delimiter.length !== 1) {
    throw new MartqlError(
      'INTERNAL',
      `a COPY delimiter must be one character, got ${JSON.stringify(delimiter)}`,
    );
  }
  const columns = spec.columns.length > 0 ? ` (${spec.columns.map(quoteIdent).join(', ')})` : '';
  const from = source === 'STDIN' ? 'STDIN' : quoteLiteral(source);
  const options = `FORMAT csv, HEADER false, DELIMITER ${quoteLiteral(delimiter)}, NULL ${quoteLiteral(nullString)}`;
  return `COPY ${qualify(spec.table.schema, spec.table.name)}${columns} FROM ${from} WITH (${options})`;
}
