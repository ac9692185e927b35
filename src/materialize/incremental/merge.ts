/**
 * `merge`: update the table's rows whose `unique_key` matches a new row, insert the others.
 *
 * Postgres offers three ways to do it, chosen per run by `chooseMergeMethod`:
 * - `INSERT ... ON CONFLICT (key) DO UPDATE` when the table has a unique index on exactly the key
 *   columns (for example from a `unique`/`primary_key` contract constraint). One statement that
 *   probes the index per row, and the only one that stays correct when another session inserts the
 *   same key concurrently. It cannot apply `incremental_predicates`, and its arbiter index treats
 *   NULLs as distinct, so it is not used for null-safe keys on nullable columns (unless the index is
 *   NULLS NOT DISTINCT).
 * - `MERGE` (Postgres 15 and later): one statement joining the table with the new rows; no index
 *   needed. This is what dbt emits on Postgres.
 * - `UPDATE ... FROM` then `INSERT ... WHERE NOT EXISTS` on older servers: two statements with the
 *   same result inside the build's transaction.
 * Without a `unique_key`, merge appends, as in dbt.
 */
import { quoteIdent } from '../../warehouse';
import { appendStrategy } from './append';
import { columnList, DEST, keyMatch, SOURCE } from './keys';
import type { Strategy, StrategyContext } from './strategy';

export type MergeMethod = 'on_conflict' | 'merge' | 'update_insert';

export const MERGE_MIN_SERVER_VERSION = 150000;

export function chooseMergeMethod(args: {
  serverVersionNum: number;
  /** A valid, immediate, non-partial unique index covers exactly the key columns. */
  uniqueIndex: { nullsNotDistinct: boolean } | null;
  nullSafe: boolean;
  /** Some key column is nullable in the table. */
  keyNullable: boolean;
  hasPredicates: boolean;
}): MergeMethod {
  const index = args.uniqueIndex;
  const nullsAgree = !args.nullSafe || !args.keyNullable || (index?.nullsNotDistinct ?? false);
  if (index && nullsAgree && !args.hasPredicates) return 'on_conflict';
  if (args.serverVersionNum >= MERGE_MIN_SERVER_VERSION) return 'merge';
  return 'update_insert';
}

/** The columns a matched row gets from the new row: `merge_update_columns`, else all but excluded and key. */
export function updateColumns(ctx: Pick<StrategyContext, 'columns' | 'settings'>): string[] {
  const { mergeUpdateColumns, mergeExcludeColumns, uniqueKey } = ctx.settings;
  const base = mergeUpdateColumns ?? ctx.columns;
  return base.filter(
    (c) => ctx.columns.includes(c) && !mergeExcludeColumns.includes(c) && !uniqueKey.includes(c),
  );
}

/** Pure: the statements of one merge, for tests and `--debug` output. */
export function mergeStatements(
  method: MergeMethod,
  ctx: Pick<StrategyContext, 'target' | 'source' | 'columns' | 'settings'>,
): string[] {
  const { target, source, columns, settings } = ctx;
  const cols = columnList(columns);
  const updates = updateColumns(ctx);
  const match = keyMatch(settings.uniqueKey, settings.nullSafe, settings.predicates);
  switch (method) {
    case 'on_conflict': {
      const action =
        updates.length === 0
          ? 'do nothing'
          : `do update set ${updates.map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`).join(', ')}`;
      return [
        `insert into ${target} as ${DEST} (${cols}) select ${cols} from ${source} ` +
          `on conflict (${columnList(settings.uniqueKey)}) ${action}`,
      ];
    }
    case 'merge': {
      const matched =
        updates.length === 0
          ? ''
          : ` when matched then update set ${updates.map((c) => `${quoteIdent(c)} = ${SOURCE}.${quoteIdent(c)}`).join(', ')}`;
      return [
        `merge into ${target} as ${DEST} using ${source} as ${SOURCE} on (${match})${matched}` +
          ` when not matched then insert (${cols}) values (${columnList(columns, SOURCE)})`,
      ];
    }
    case 'update_insert': {
      const update =
        updates.length === 0
          ? []
          : [
              `update ${target} as ${DEST} set ${updates.map((c) => `${quoteIdent(c)} = ${SOURCE}.${quoteIdent(c)}`).join(', ')} ` +
                `from ${source} as ${SOURCE} where ${match}`,
            ];
      return [
        ...update,
        `insert into ${target} (${cols}) select ${columnList(columns, SOURCE)} from ${source} as ${SOURCE} ` +
          `where not exists (select 1 from ${target} as ${DEST} where ${match})`,
      ];
    }
    default: {
      const never: never = method;
      throw new Error(`unknown merge method ${String(never)}`);
    }
  }
}

const UNIQUE_INDEXES = (withNullsNotDistinct: boolean) => `
select array(select a.attname::text from unnest(i.indkey) as k(attnum)
             join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum) as columns,
       ${withNullsNotDistinct ? 'i.indnullsnotdistinct' : 'false'} as nulls_not_distinct
from pg_catalog.pg_index i
join pg_catalog.pg_class c on c.oid = i.indrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relname = $2
  and i.indisunique and i.indisvalid and i.indimmediate and i.indpred is null and i.indexprs is null`;

async function findUniqueIndex(ctx: StrategyContext): Promise<{ nullsNotDistinct: boolean } | null> {
  const { rows } = await ctx.tx.query<{ columns: string[]; nulls_not_distinct: boolean }>(
    UNIQUE_INDEXES(ctx.serverVersionNum >= 150000),
    [ctx.targetName.schema, ctx.targetName.name],
  );
  const key = [...ctx.settings.uniqueKey].sort();
  const hit = rows.find(
    (r) => r.columns.length === key.length && [...r.columns].sort().every((c, i) => c === key[i]),
  );
  return hit ? { nullsNotDistinct: hit.nulls_not_distinct } : null;
}

export const mergeStrategy: Strategy = async (ctx) => {
  if (ctx.settings.uniqueKey.length === 0) return appendStrategy(ctx);
  const method = chooseMergeMethod({
    serverVersionNum: ctx.serverVersionNum,
    uniqueIndex: await findUniqueIndex(ctx),
    nullSafe: ctx.settings.nullSafe,
    keyNullable: ctx.targetColumns.some((c) => ctx.settings.uniqueKey.includes(c.name) && c.nullable),
    hasPredicates: ctx.settings.predicates.length > 0,
  });
  return runMerge(method, ctx);
};

/** Runs one merge method; exported so tests can exercise every method on any server. */
export async function runMerge(method: MergeMethod, ctx: StrategyContext): Promise<number> {
  let rows = 0;
  for (const sql of mergeStatements(method, ctx)) rows += (await ctx.log.query(ctx.tx, sql)).rowCount;
  return rows;
}
