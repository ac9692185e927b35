/**
 * The render members that touch the database — `run_query`, `statement`, `load_result`,
 * `store_result`, `store_raw_result` and `adapter` — bound to one session.
 *
 * A render's own members talk to the warehouse. Jinja rendered while a build's transaction is open
 * (a `{% materialization %}` block, a hook) must talk to that transaction instead: on the
 * warehouse its queries would not see the relation the build has not committed yet, and would
 * wait for the transaction's locks (Postgres) or its single connection (PGlite) while the thread
 * that has to finish it is blocked in the synchronous query. Put on top of a render's context
 * (`extra`), these members send every statement of the Jinja to `session`, and keep them.
 */
import type { Session } from '../../warehouse';
import { materializationAdapter } from './materialization-adapter';
import { StatementRunner } from './statements';

export interface SessionMembers {
  members: Record<string, unknown>;
  /** Every statement the Jinja ran, and the results `load_result` sees. */
  statements: StatementRunner;
}

export function sessionMembers(session: Session): SessionMembers {
  const statements = new StatementRunner(session, true);
  const members: Record<string, unknown> = {
    ...statements.contextFunctions(),
    adapter: materializationAdapter(session, statements),
  };
  return { members, statements };
}
