/**
 * `target/catalog.json`: what the warehouse says about every relation the project builds or reads,
 * in dbt's catalog v1 shape (`metadata`, then `nodes` and `sources` keyed by unique id, each with
 * the relation's `metadata`, its `columns` by name with `type`, `index` and `comment`, and `stats`),
 * so tools written for dbt's artifacts read it unchanged.
 *
 * The manifest says what a model should be; the catalog says what is there: column types come from
 * Postgres itself (`format_type`, as MartQL's introspection writes them everywhere), positions are
 * `attnum` (information_schema's `ordinal_position`), and a relation that does not exist (never
 * built, an ephemeral model, a source not loaded yet) is simply absent. One query reads all of it.
 */
import type { Manifest } from '../graph';
import type { Session } from '../warehouse';
import { writeFileAtomic } from './atomic-write';

export const CATALOG_SCHEMA_VERSION = 'https://schemas.getdbt.com/dbt/catalog/v1.json';

export interface CatalogColumn {
  type: string;
  index: number;
  name: string;
  comment: string | null;
}

export interface CatalogStat {
  id: string;
  label: string;
  value: unknown;
  include: boolean;
  description: string;
}

export interface CatalogTable {
  metadata: {
    /** `BASE TABLE`, `VIEW`, `MATERIALIZED VIEW` or `FOREIGN TABLE`, as information_schema says. */
    type: string;
    schema: string;
    name: string;
    database: string;
    comment: string | null;
    owner: string | null;
  };
  columns: Record<string, CatalogColumn>;
  stats: Record<string, CatalogStat>;
  unique_id: string;
}

export interface CatalogJson {
  metadata: {
    dbt_schema_version: string;
    dbt_version: string;
    generated_at: string;
    invocation_id: string;
    env: Record<string, string>;
  };
  nodes: Record<string, CatalogTable>;
  sources: Record<string, CatalogTable>;
  errors: string[] | null;
}

interface Wanted {
  uniqueId: string;
  schema: string;
  name: string;
  isSource: boolean;
}

/** The relations the catalog looks for: models (not ephemeral), seeds, snapshots and sources. */
export function catalogRelations(manifest: Manifest): Wanted[] {
  const wanted: Wanted[] = [];
  for (const node of manifest.nodes.values()) {
    if (node.resourceType !== 'model' && node.resourceType !== 'seed' && node.resourceType !== 'snapshot')
      continue;
    if (node.config.materialized === 'ephemeral' || !node.relation) continue;
    wanted.push({
      uniqueId: node.uniqueId,
      schema: node.relation.schema,
      name: node.relation.identifier,
      isSource: false,
    });
  }
  for (const source of manifest.sources.values()) {
    wanted.push({
      uniqueId: source.uniqueId,
      schema: source.schema,
      name: source.identifier,
      isSource: true,
    });
  }
  return wanted;
}

// Relation kinds a query can read: ordinary and partitioned tables, views, materialized views and
// foreign tables (not indexes, sequences or composite types).
const CATALOG_SQL = `
with wanted as (
  select distinct * from unnest($1::text[], $2::text[]) as w(schema_name, relation_name)
)
select
  ns.nspname as schema_name,
  rel.relname as relation_name,
  case rel.relkind
    when 'v' then 'VIEW'
    when 'm' then 'MATERIALIZED VIEW'
    when 'f' then 'FOREIGN TABLE'
    else 'BASE TABLE'
  end as relation_type,
  current_database() as database_name,
  pg_catalog.pg_get_userbyid(rel.relowner) as owner,
  pg_catalog.obj_description(rel.oid, 'pg_class') as relation_comment,
  att.attname as column_name,
  att.attnum::int as column_index,
  pg_catalog.format_type(att.atttypid, att.atttypmod) as column_type,
  pg_catalog.col_description(rel.oid, att.attnum) as column_comment
from wanted
join pg_catalog.pg_namespace ns on ns.nspname = wanted.schema_name
join pg_catalog.pg_class rel on rel.relnamespace = ns.oid and rel.relname = wanted.relation_name
left join pg_catalog.pg_attribute att
  on att.attrelid = rel.oid and att.attnum > 0 and not att.attisdropped
where rel.relkind in ('r', 'p', 'v', 'm', 'f')
order by ns.nspname, rel.relname, att.attnum`;

interface CatalogRow {
  schema_name: string;
  relation_name: string;
  relation_type: string;
  database_name: string;
  owner: string | null;
  relation_comment: string | null;
  column_name: string | null;
  column_index: number | null;
  column_type: string | null;
  column_comment: string | null;
}

/** dbt's Postgres catalog carries no statistics; it says so with this one entry. */
const NO_STATS: Record<string, CatalogStat> = {
  has_stats: {
    id: 'has_stats',
    label: 'Has Stats?',
    value: false,
    include: false,
    description: 'Indicates whether there are statistics for this table',
  },
};

export async function readCatalog(
  session: Session,
  manifest: Manifest,
  meta: { invocationId: string; generatedAt: string },
): Promise<CatalogJson> {
  const wanted = catalogRelations(manifest);
  const { rows } = await session.query<CatalogRow>(CATALOG_SQL, [
    wanted.map((w) => w.schema),
    wanted.map((w) => w.name),
  ]);
  const tables = new Map<string, Omit<CatalogTable, 'unique_id'>>();
  for (const row of rows) {
    const key = `${row.schema_name}\0${row.relation_name}`;
    let table = tables.get(key);
    if (!table) {
      table = {
        metadata: {
          type: row.relation_type,
          schema: row.schema_name,
          name: row.relation_name,
          database: row.database_name,
          comment: row.relation_comment,
          owner: row.owner,
        },
        columns: {},
        stats: NO_STATS,
      };
      tables.set(key, table);
    }
    if (row.column_name !== null) {
      table.columns[row.column_name] = {
        type: row.column_type!,
        index: row.column_index!,
        name: row.column_name,
        comment: row.column_comment,
      };
    }
  }
  const catalog: CatalogJson = {
    metadata: {
      dbt_schema_version: CATALOG_SCHEMA_VERSION,
      // The dbt release whose artifact layout this follows, as in manifest.json.
      dbt_version: '1.9.0',
      generated_at: meta.generatedAt,
      invocation_id: meta.invocationId,
      env: {},
    },
    nodes: {},
    sources: {},
    errors: null,
  };
  // Several unique ids may name one relation (two sources over one table): each gets its entry.
  for (const w of [...wanted].sort((a, b) => (a.uniqueId < b.uniqueId ? -1 : 1))) {
    const table = tables.get(`${w.schema}\0${w.name}`);
    if (!table) continue;
    (w.isSource ? catalog.sources : catalog.nodes)[w.uniqueId] = { ...table, unique_id: w.uniqueId };
  }
  return catalog;
}

/** Writes `<targetDir>/catalog.json` through a temporary file, so readers never see half of it. */
export function writeCatalogJson(targetDir: string, catalog: CatalogJson): Promise<string> {
  return writeFileAtomic(targetDir, 'catalog.json', JSON.stringify(catalog));
}
