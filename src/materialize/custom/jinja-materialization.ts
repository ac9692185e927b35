/**
 * A `{% materialization %}` block as a `Materialization`: the same interface the TypeScript
 * built-ins implement, so run history, freshness and GraphQL treat a custom build like any other.
 *
 * The block renders in its model's context (`this`, `config`, `model`, macros) with the members
 * dbt gives materializations (`materialization-context.ts`), all bound to one transaction that
 * commits when the block returns: a failing statement, a failing hook (its Jinja or its SQL) or a
 * block that never returns rolls everything back and leaves the old relation as it was.
 *
 * What the block returns (`return({'relations': [...]})`, dbt's contract) ends it; the node's rows
 * come from `statement('main')` (or what the block stored as 'main'), and its kind from what
 * happened to the model's relation: still the same table (same OID) means the block changed it in
 * place (`incremental`), a new table means it was rebuilt (`table`), a view is a `view`.
 */
import { MartqlError } from '../../errors';
import { materializationContext } from '../../jinja/context/materialization-context';
import type { MacroEntry, MacroIndex } from '../../jinja/context/macro-index';
import { Relation } from '../../jinja/context/relation';
import type { Session } from '../../warehouse';
import { selectable } from '../relation-sql';
import { ensureSchema } from '../schema';
import type { BuildKind, Materialization, MaterializeRequest, MaterializeResult } from '../types';

/** Context names the driver template uses; prefixed so a project's names cannot collide. */
const BLOCK = 'martql_materialization_block';
const RESULT = 'martql_materialization_returned';
const DRIVER = `{% do ${RESULT}(${BLOCK}()) %}`;

interface RelationState {
  oid: string;
  relkind: string;
}

const RELATION_STATE = `
select c.oid::text as oid, c.relkind::text as relkind
from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relname = $2`;

async function relationState(tx: Session, schema: string, identifier: string): Promise<RelationState | null> {
  return (await tx.query<RelationState>(RELATION_STATE, [schema, identifier])).rows[0] ?? null;
}

function buildKind(before: RelationState | null, after: RelationState | null): BuildKind {
  if (after === null) return 'noop';
  if (after.relkind === 'v') return 'view';
  return before !== null && before.oid === after.oid ? 'incremental' : 'table';
}

export function jinjaMaterialization(name: string, entry: MacroEntry, macros: MacroIndex): Materialization {
  return { name, run: (req) => runBlock(name, entry, macros, req) };
}

async function runBlock(
  name: string,
  entry: MacroEntry,
  macros: MacroIndex,
  req: MaterializeRequest,
): Promise<MaterializeResult> {
  const { schema, identifier } = req.relation;
  const renderer = req.renderer;
  const block = `materialization '${name}' (${entry.info.path}:${entry.info.line})`;
  if (!renderer) {
    throw new MartqlError(
      'PROJECT_CONFIG',
      `${schema}.${identifier} is built by the ${block}, which needs a Jinja model; TypeScript models are built as tables`,
    );
  }
  // A project's own `incremental` block gets the model's incremental SQL on a later run, as in dbt.
  const sql = selectable(req.compile({ isIncremental: renderer.isIncremental }));
  // A model's `full_refresh` config wins over --full-refresh, as in dbt.
  const fullRefresh =
    typeof req.config.full_refresh === 'boolean' ? req.config.full_refresh : req.fullRefresh;
  await ensureSchema(req.warehouse, schema);
  try {
    return await req.warehouse.transaction(async (tx) => {
      const before = await relationState(tx, schema, identifier);
      const { members, statements } = materializationContext({
        session: tx,
        sql,
        preHooks: req.preHooks,
        postHooks: req.postHooks,
        fullRefresh,
        render: (code, label, members) => renderer.render(code, label, members),
      });
      let returned: unknown;
      renderer.render(DRIVER, `${entry.info.path} (${block})`, {
        ...members,
        [BLOCK]: macros.bound(entry),
        [RESULT]: (value: unknown) => {
          returned = value;
          return '';
        },
      });
      checkReturned(returned, renderer.model, block, entry);
      const after = await relationState(tx, schema, identifier);
      const main = statements.result('main')?.response.rows_affected;
      const isView = after?.relkind === 'v';
      return {
        kind: buildKind(before, after),
        rowsAffected: isView || main === undefined || main < 0 ? null : main,
        relationType: isView ? 'view' : 'table',
        statements: statements.executed.map(({ sql: text, rowCount, ms }) => ({ sql: text, rowCount, ms })),
      };
    });
  } catch (err) {
    throw nameModel(err, renderer.model, block);
  }
}

/** dbt's contract: a block ends with `return({'relations': [relation, ...]})`. */
function checkReturned(returned: unknown, model: string, block: string, entry: MacroEntry): void {
  const relations =
    typeof returned === 'object' && returned !== null && !Array.isArray(returned)
      ? (returned as Record<string, unknown>).relations
      : undefined;
  const fail = (problem: string): never => {
    throw new MartqlError('COMPILER_ERROR', `model ${model}: the ${block} ${problem}`, {
      location: { file: entry.info.path, line: entry.info.line },
      hint: "end the block with {{ return({'relations': [target_relation]}) }}",
    });
  };
  if (!Array.isArray(relations)) fail("ended without return({'relations': [...]})");
  const bad = (relations as unknown[]).find((r) => !(r instanceof Relation));
  if (bad !== undefined) fail(`returned ${String(bad)} in 'relations', which is not a relation`);
}

/** The error of a failed block, saying which model and block it was; already-named errors pass. */
function nameModel(err: unknown, model: string, block: string): unknown {
  if (!(err instanceof MartqlError) || err.message.startsWith(`model ${model}: `)) return err;
  return new MartqlError(err.code, `model ${model}: the ${block} failed: ${err.message}`, {
    location: err.location,
    cause: err,
    hint: err.hint,
    data: err.data,
  });
}
