/**
 * The `adapter` object templates call: dispatch, quoting and synchronous introspection.
 *
 * Introspection reads the warehouse through the synchronous bridge, because dbt code branches on
 * it mid-render (`{% if adapter.get_relation(...) is none %}`). In the parse phase (no session, or
 * `execute` false) it answers "nothing there", as dbt's parse-time adapter does.
 */
import { quoteIdent, type Column, type Session } from '../../warehouse';
import { splitArgs } from '../engine';
import { Relation } from './relation';
import type { RenderScope } from './render-scope';
import type { StatementRunner } from './statements';

/** The column object dbt code reads (`column.name`, `column.data_type`, `column.is_number()`). */
export class AdapterColumn {
  readonly name: string;
  readonly column: string;
  readonly data_type: string;
  readonly dtype: string;

  constructor(col: Column) {
    this.name = col.name;
    this.column = col.name;
    this.data_type = col.dataType;
    this.dtype = col.dataType;
  }

  get quoted(): string {
    return quoteIdent(this.name);
  }
  is_string(): boolean {
    return /^(character varying|varchar|text|character|char)/.test(this.data_type);
  }
  is_number(): boolean {
    return this.is_integer() || this.is_float() || this.is_numeric();
  }
  is_integer(): boolean {
    return /^(integer|bigint|smallint)$/.test(this.data_type);
  }
  is_float(): boolean {
    return /^(real|double precision)$/.test(this.data_type);
  }
  is_numeric(): boolean {
    return this.data_type.startsWith('numeric');
  }
  string_size(): number {
    const m = /\((\d+)\)/.exec(this.data_type);
    return m ? Number(m[1]) : 256;
  }
  toString(): string {
    return `<Column ${this.name} (${this.data_type})>`;
  }
}

function relationArgs(raw: unknown[]): { schema: string; identifier: string; database?: string } {
  const { args, kwargs } = splitArgs(raw);
  return {
    database: (kwargs.database ?? args[0]) as string | undefined,
    schema: String(kwargs.schema ?? args[1] ?? ''),
    identifier: String(kwargs.identifier ?? args[2] ?? ''),
  };
}

export function createAdapter(options: {
  /** Where `adapter.dispatch` looks macros up (the render's scope). */
  scope: Pick<RenderScope, 'dispatch'>;
  session: Session | undefined;
  execute: boolean;
  statements: StatementRunner;
}): Record<string, unknown> {
  const { scope, session, execute, statements } = options;
  const live = execute && session !== undefined;
  return {
    type: () => 'postgres',
    dispatch: (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      const name = String(args[0] ?? kwargs.macro_name);
      const namespace = (args[1] ?? kwargs.macro_namespace ?? undefined) as string | undefined;
      return scope.dispatch(name, namespace ?? undefined);
    },
    quote: (identifier: string) => quoteIdent(String(identifier)),
    quote_as_configured: (identifier: string) => quoteIdent(String(identifier)),
    get_relation: (...raw: unknown[]) => {
      const { database, schema, identifier } = relationArgs(raw);
      if (!live) return null;
      const found = session.getRelationSync(schema, identifier);
      if (!found) return null;
      const type =
        found.type === 'partitioned_table'
          ? 'table'
          : found.type === 'foreign_table'
            ? 'external'
            : found.type;
      return new Relation({ database, schema: found.schema, identifier: found.name, type });
    },
    get_columns_in_relation: (relation: Relation) => {
      if (!live || !relation?.schema || !relation.identifier) return [];
      return session.getColumnsSync(relation.schema, relation.identifier).map((c) => new AdapterColumn(c));
    },
    execute: (...raw: unknown[]) => statements.adapterExecute(raw),
    check_schema_exists: (database: string, schema: string) => {
      if (!live) return false;
      const rows = session.querySync('select 1 from pg_namespace where nspname = $1', [schema]).rows;
      return rows.length > 0;
    },
  };
}
