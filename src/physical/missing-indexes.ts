/**
 * The check `martql serve` runs at startup: which columns the GraphQL API lets clients filter or
 * order by have no index, on tables big enough for that to matter.
 *
 * A column counts as indexed when a valid, non-partial index has it as its leading key column:
 * that is the index Postgres can use for an equality or range filter on the column alone, and (for
 * btree) to read rows in its order. A column that only appears second in a multi-column index is
 * reported, because a filter on it alone cannot use that index. Size comes from the planner's
 * estimate (`pg_class.reltuples`, summed over the partitions of a partitioned table), which every
 * build refreshes with ANALYZE; a table never analyzed (reltuples -1) has no estimate and is
 * skipped rather than counted (exactly counting every mart at startup could take minutes). Views
 * cannot carry indexes and are skipped too.
 */
import type { Session } from '../warehouse';

export interface IndexableModel {
  /** The model's name, as the warning shows it. */
  name: string;
  relation: { schema: string; identifier: string };
  /** The columns clients can filter or order by. */
  columns: string[];
}

export interface MissingIndex {
  model: string;
  column: string;
  /** The table's estimated rows. */
  rows: number;
}

const RELATION_INDEXES = `
with wanted as (
  select * from unnest($1::text[], $2::text[]) as w(schema, name)
)
select w.schema, w.name,
       case when c.relkind = 'p' then
              (select coalesce(sum(greatest(k.reltuples, 0)), 0)::float8
               from pg_catalog.pg_inherits i join pg_catalog.pg_class k on k.oid = i.inhrelid
               where i.inhparent = c.oid)
            else c.reltuples::float8 end as rows,
       array(select a.attname::text
             from pg_catalog.pg_index x
             join pg_catalog.pg_attribute a on a.attrelid = x.indrelid and a.attnum = x.indkey[0]
             where x.indrelid = c.oid and x.indisvalid and x.indpred is null) as leading
from wanted w
join pg_catalog.pg_namespace n on n.nspname = w.schema
join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relname = w.name
where c.relkind in ('r', 'p', 'm')`;

/**
 * Every (model, column) whose table has at least `minRows` estimated rows and no index led by the
 * column, in the order the models and columns were given. Models not built yet are skipped.
 */
export async function missingIndexWarnings(
  session: Session,
  models: IndexableModel[],
  options: { minRows: number },
): Promise<MissingIndex[]> {
  if (models.length === 0) return [];
  const { rows } = await session.query<{ schema: string; name: string; rows: number; leading: string[] }>(
    RELATION_INDEXES,
    [models.map((m) => m.relation.schema), models.map((m) => m.relation.identifier)],
  );
  const byRelation = new Map(rows.map((r) => [`${r.schema}\u0000${r.name}`, r]));
  const missing: MissingIndex[] = [];
  for (const model of models) {
    const found = byRelation.get(`${model.relation.schema}\u0000${model.relation.identifier}`);
    if (!found || found.rows < 0 || found.rows < options.minRows) continue;
    const indexed = new Set(found.leading);
    for (const column of model.columns) {
      if (!indexed.has(column)) missing.push({ model: model.name, column, rows: Math.round(found.rows) });
    }
  }
  return missing;
}

/** The log line for one missing index: the model, the column, the size, and the config that fixes it. */
export function describeMissingIndex(w: MissingIndex): string {
  return (
    `${w.model}: column "${w.column}" can be filtered or ordered by through GraphQL but has no index ` +
    `(~${w.rows.toLocaleString('en-US')} rows); declare indexes: [{columns: ['${w.column}']}] in the model's config`
  );
}
