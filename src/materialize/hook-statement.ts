/**
 * What a hook runs, worked out at the moment it runs: its SQL as given, or its Jinja rendered with
 * the render's queries (`run_query`, `statement`, `adapter.*` introspection) sent to the session
 * the hook runs on. Inside the build's transaction that is the transaction itself, so the Jinja
 * sees the relation the build has not committed yet and never waits on the transaction's own locks
 * (or, on PGlite, on its single connection) while the thread that would end it is blocked.
 */
import { sessionMembers } from '../jinja/context/session-members';
import type { Session } from '../warehouse';
import type { BuildHook, StatementRecord } from './types';

export interface HookStatement {
  /** The SQL to run; empty when the hook renders to nothing. */
  sql: string;
  /** The statements its Jinja ran while rendering, for the build's statement log. */
  ran: StatementRecord[];
}

/** Whether a hook runs inside the build's transaction. */
export function inTransaction(hook: BuildHook): boolean {
  return typeof hook === 'string' || hook.transaction;
}

export function hookStatement(hook: BuildHook, session: Session): HookStatement {
  if (typeof hook === 'string') return { sql: hook, ran: [] };
  if (!hook.render) return { sql: hook.sql, ran: [] };
  const { members, statements } = sessionMembers(session);
  const sql = hook.render(members);
  return {
    sql,
    ran: statements.executed.map(({ sql: text, rowCount, ms }) => ({ sql: text, rowCount, ms })),
  };
}
