/**
 * Catalog readers for the physical-design tests: what indexes, partitions and statistics a relation
 * really has, read from pg_catalog rather than from what MartQL says it did.
 */
import { qualify, type Session } from '../../src/warehouse';

export interface IndexInfo {
  name: string;
  definition: string;
  unique: boolean;
  method: string;
  columns: string[];
  comment: string | null;
}

export async function indexesOf(session: Session, schema: string, table: string): Promise<IndexInfo[]> {
  const { rows } = await session.query<IndexInfo>(
    `select ic.relname as name, pg_get_indexdef(ic.oid) as definition, x.indisunique as unique,
            am.amname as method,
            array(select a.attname::text from unnest(x.indkey::int2[]) with ordinality as k(attnum, i)
                  join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum order by k.i) as columns,
            obj_description(ic.oid, 'pg_class') as comment
     from pg_index x
     join pg_class ic on ic.oid = x.indexrelid
     join pg_am am on am.oid = ic.relam
     join pg_class c on c.oid = x.indrelid
     join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2
     order by ic.relname`,
    [schema, table],
  );
  return rows;
}

export interface PartitionInfo {
  name: string;
  bound: string;
  oid: number;
}

export async function partitionsOf(
  session: Session,
  schema: string,
  table: string,
): Promise<PartitionInfo[]> {
  const { rows } = await session.query<PartitionInfo>(
    `select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound, c.oid::int8 as oid
     from pg_inherits i
     join pg_class c on c.oid = i.inhrelid
     join pg_class p on p.oid = i.inhparent
     join pg_namespace n on n.oid = p.relnamespace
     where n.nspname = $1 and p.relname = $2
     order by c.relname`,
    [schema, table],
  );
  return rows;
}

/** Rows per partition, by the partition each row is stored in. */
export async function rowsPerPartition(
  session: Session,
  schema: string,
  table: string,
): Promise<Record<string, number>> {
  const { rows } = await session.query<{ name: string; n: number }>(
    `select c.relname as name, count(*)::int as n from ${qualify(schema, table)} t
     join pg_class c on c.oid = t.tableoid group by c.relname`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}

export async function relkind(session: Session, schema: string, table: string): Promise<string | null> {
  const { rows } = await session.query<{ relkind: string }>(
    `select c.relkind::text as relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2`,
    [schema, table],
  );
  return rows[0]?.relkind ?? null;
}

/** Rows of pg_statistic for a relation: zero until it has been analyzed. */
export async function statisticsRows(session: Session, schema: string, table: string): Promise<number> {
  const { rows } = await session.query<{ n: number }>(
    `select count(*)::int as n from pg_statistic s
     join pg_class c on c.oid = s.starelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2`,
    [schema, table],
  );
  return rows[0].n;
}

export async function reltuples(session: Session, schema: string, table: string): Promise<number> {
  const { rows } = await session.query<{ n: number }>(
    `select c.reltuples::float8 as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2`,
    [schema, table],
  );
  return rows[0].n;
}
