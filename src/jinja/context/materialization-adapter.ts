/**
 * The `adapter` a `{% materialization %}` block sees: the render adapter (dispatch, quoting,
 * introspection) bound to the build's transaction, plus the relation DDL dbt's materializations
 * call — `drop_relation`, `rename_relation`, `expand_target_column_types` — each run as a logged
 * statement of the build.
 *
 * MartQL runs a whole block in one transaction and commits when it returns, so `adapter.commit()`
 * and `adapter.begin()` do nothing: a later failure still rolls back everything the block did,
 * which is what keeps a failed build from leaving a half-changed table.
 */
import { MartqlError } from '../../errors';
import { ddlKeyword, quoteIdent, type Column, type RelationType, type Session } from '../../warehouse';
import { splitArgs } from '../engine';
import { AdapterColumn, createAdapter } from './adapter';
import { Relation } from './relation';
import { activeScope } from './render-scope';
import type { StatementRunner } from './statements';

/** Types Postgres can widen a column to in place without rewriting values: longer or unbounded text. */
const STRING_TYPE = /^(character varying|varchar|character|char|text)(?:\((\d+)\))?$/;

/** The width of a string type (Infinity for text and unbounded varchar), or undefined for other types. */
function stringWidth(dataType: string): number | undefined {
  const m = STRING_TYPE.exec(dataType);
  if (!m) return undefined;
  if (m[1] === 'text') return Infinity;
  if (m[2] !== undefined) return Number(m[2]);
  return m[1].startsWith('char') && !m[1].includes('varying') ? 1 : Infinity;
}

function asRelation(value: unknown, method: string, argument: string): Relation {
  if (value instanceof Relation && value.identifier) return value;
  throw new MartqlError(
    'COMPILER_ERROR',
    `adapter.${method}(): ${argument} must be a relation (this, load_relation(...), api.Relation.create(...)), got ${String(value)}`,
  );
}

export function materializationAdapter(
  session: Session,
  statements: StatementRunner,
): Record<string, unknown> {
  const base = createAdapter({
    // The block renders inside the model's render, whose scope resolves dispatched macros.
    scope: { dispatch: (name, namespace) => activeScope().dispatch(name, namespace) },
    session,
    execute: true,
    statements,
  });

  let tempSchema: string | null | undefined;
  /** Temporary relations have no schema in dbt; Postgres keeps them in this session's pg_temp_N. */
  const schemaOf = (relation: Relation): string | null => {
    if (relation.schema) return relation.schema;
    if (tempSchema === undefined) {
      const { rows } = session.querySync<{ nspname: string }>(
        'select nspname from pg_catalog.pg_namespace where oid = pg_catalog.pg_my_temp_schema()',
      );
      tempSchema = rows[0]?.nspname ?? null;
    }
    return tempSchema;
  };
  const columnsOf = (relation: Relation): Column[] => {
    const schema = schemaOf(relation);
    return schema ? session.getColumnsSync(schema, relation.identifier!) : [];
  };
  /** What the relation is in the catalog now (its recorded `type` may be stale or unknown). */
  const catalogType = (relation: Relation): RelationType | null => {
    const schema = schemaOf(relation);
    return schema ? (session.getRelationSync(schema, relation.identifier!)?.type ?? null) : null;
  };
  const run = (name: string, sql: string): string => {
    statements.runSql(name, sql);
    return '';
  };

  return {
    ...base,
    get_columns_in_relation: (relation: unknown) =>
      columnsOf(asRelation(relation, 'get_columns_in_relation', 'relation')).map((c) => new AdapterColumn(c)),
    /** Columns of `from_relation` that `to_relation` lacks. */
    get_missing_columns: (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      const from = asRelation(args[0] ?? kwargs.from_relation, 'get_missing_columns', 'from_relation');
      const to = asRelation(args[1] ?? kwargs.to_relation, 'get_missing_columns', 'to_relation');
      const present = new Set(columnsOf(to).map((c) => c.name));
      return columnsOf(from)
        .filter((c) => !present.has(c.name))
        .map((c) => new AdapterColumn(c));
    },
    // dbt drops with CASCADE, so views reading the relation go with it.
    drop_relation: (relation: unknown) => {
      const rel = asRelation(relation, 'drop_relation', 'relation');
      const type = catalogType(rel);
      return type ? run('drop_relation', `drop ${ddlKeyword(type)} if exists ${rel.render()} cascade`) : '';
    },
    rename_relation: (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      const from = asRelation(args[0] ?? kwargs.from_relation, 'rename_relation', 'from_relation');
      const to = asRelation(args[1] ?? kwargs.to_relation, 'rename_relation', 'to_relation');
      const type = catalogType(from);
      if (!type) {
        throw new MartqlError('COMPILER_ERROR', `adapter.rename_relation(): ${from.render()} does not exist`);
      }
      return run(
        'rename_relation',
        `alter ${ddlKeyword(type)} ${from.render()} rename to ${quoteIdent(to.identifier!)}`,
      );
    },
    /** Widens the string columns of `to_relation` that are narrower than the same columns of `from_relation`. */
    expand_target_column_types: (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      const from = asRelation(args[0] ?? kwargs.from_relation, 'expand_target_column_types', 'from_relation');
      const to = asRelation(args[1] ?? kwargs.to_relation, 'expand_target_column_types', 'to_relation');
      const wanted = new Map(columnsOf(from).map((c) => [c.name, c.dataType]));
      for (const column of columnsOf(to)) {
        const next = wanted.get(column.name);
        const have = stringWidth(column.dataType);
        const need = next === undefined ? undefined : stringWidth(next);
        if (have === undefined || need === undefined || need <= have) continue;
        run(
          'expand_target_column_types',
          `alter table ${to.render()} alter column ${quoteIdent(column.name)} type ${next}`,
        );
      }
      return '';
    },
    commit: () => '',
    begin: () => '',
  };
}
