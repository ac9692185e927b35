/**
 * Small SQL helpers shared by every materialization: the DDL keyword for a relation type, dropping
 * a relation whatever it is, renaming one, and the compiled SQL made safe to embed.
 */
import { ddlKeyword, qualify, quoteIdent, type Relation, type Session } from '../warehouse';
import type { StatementLog } from './statement-log';

/** The compiled SQL as a subquery-safe statement: no trailing `;`, callers add a newline before anything they append (a trailing `--` comment). */
export function selectable(sql: string): string {
  return sql.trim().replace(/;+\s*$/, '');
}

export async function dropRelation(
  tx: Session,
  log: StatementLog,
  relation: Relation,
  options: { cascade: boolean },
): Promise<void> {
  const sql = `drop ${ddlKeyword(relation.type)} if exists ${qualify(relation.schema, relation.name)}`;
  await log.query(tx, options.cascade ? `${sql} cascade` : sql);
}

/** Drops `schema.name` if something by that name exists (a leftover of a crashed build). */
export async function dropIfExists(
  tx: Session,
  log: StatementLog,
  schema: string,
  name: string,
): Promise<void> {
  const existing = await tx.getRelation(schema, name);
  if (existing) await dropRelation(tx, log, existing, { cascade: false });
}

export async function renameRelation(
  tx: Session,
  log: StatementLog,
  relation: Relation,
  newName: string,
): Promise<void> {
  await log.query(
    tx,
    `alter ${ddlKeyword(relation.type)} ${qualify(relation.schema, relation.name)} rename to ${quoteIdent(newName)}`,
  );
}
