/**
 * Hooks outside the build's transaction: dbt's `transaction: false` (`before_begin()`,
 * `after_commit()`), for statements Postgres refuses inside a transaction block (`VACUUM`,
 * `CREATE INDEX CONCURRENTLY`) or that must outlive a failed build.
 *
 * A materialization runs the transactional hooks itself, inside the transaction it opens
 * (`StatementLog.hooks` skips the others). `withOutsideHooks` wraps a materialization so the rest
 * run around it, on the warehouse rather than a transaction session, each statement committing on
 * its own: the non-transactional pre-hooks before the build (one failing: nothing is built, the
 * old relation stays), the non-transactional post-hooks after it has committed (one failing: the
 * new data stays committed, and the error names the hook). Around the whole build, not each
 * transaction of it: a microbatch model commits batch by batch, and its hooks still run once
 * before the first and once after the last. Each hook is rendered just before it runs, on the
 * warehouse too, so an after-commit hook's Jinja sees the committed relation.
 */
import { MartqlError } from '../errors';
import type { Session } from '../warehouse';
import { hookStatement } from './hook-statement';
import { StatementLog } from './statement-log';
import type { BuildHook, Materialization, MaterializeRequest, MaterializeResult } from './types';

type OutsideHook = Exclude<BuildHook, string>;

function outside(hooks: readonly BuildHook[]): OutsideHook[] {
  const out: OutsideHook[] = [];
  for (const hook of hooks) if (typeof hook !== 'string' && !hook.transaction) out.push(hook);
  return out;
}

type Moment = 'before the build began' | 'after the build committed';

function hookFailed(err: unknown, hook: OutsideHook, index: number, moment: Moment): MartqlError {
  const cause = err instanceof MartqlError ? err : undefined;
  const name = hook.name ?? `hook ${index + 1}`;
  const committed = moment === 'after the build committed';
  return new MartqlError(
    cause?.code ?? 'DATABASE',
    `${name}, which runs outside the transaction (transaction: false), failed ${moment}: ` +
      ((err as Error)?.message ?? String(err)),
    {
      cause: err,
      // Where in the hook its Jinja failed, and the cause's own hint (`did you mean ...?`), come first.
      location: cause?.location,
      hint: [
        cause?.hint,
        committed
          ? "the model's new data is committed; only this hook did not run to the end"
          : 'nothing was built: the relation is as it was before the run',
      ]
        .filter(Boolean)
        .join('; '),
      data: { ...(cause?.data ?? {}), hook: name, committed },
    },
  );
}

async function runOutside(
  session: Session,
  log: StatementLog,
  hooks: readonly OutsideHook[],
  moment: Moment,
): Promise<void> {
  for (const [i, hook] of hooks.entries()) {
    try {
      // Rendered on the warehouse: there is no transaction to see. The Jinja's own queries go through
      // the warehouse's synchronous connection, the SQL it renders to through the pool, so session
      // state the Jinja sets (`set lock_timeout`) does not reach the hook's statement.
      const { sql, ran } = hookStatement(hook, session);
      log.records.push(...ran);
      if (sql.trim() !== '') await log.exec(session, sql);
    } catch (err) {
      throw hookFailed(err, hook, i, moment);
    }
  }
}

/**
 * Runs a snapshot-like build (`build` opens and commits its own transaction) between the
 * non-transactional pre- and post-hooks; the build's records are returned with the hooks' around them.
 */
export async function aroundBuild<T extends { statements: MaterializeResult['statements'] }>(
  session: Session,
  hooks: { pre: readonly BuildHook[]; post: readonly BuildHook[] },
  build: () => Promise<T>,
): Promise<T> {
  const before = outside(hooks.pre);
  const after = outside(hooks.post);
  if (before.length === 0 && after.length === 0) return build();
  const log = new StatementLog();
  await runOutside(session, log, before, 'before the build began');
  const result = await build();
  const first = log.records.splice(0);
  await runOutside(session, log, after, 'after the build committed');
  return { ...result, statements: [...first, ...result.statements, ...log.records] };
}

/** The materialization, with its request's non-transactional hooks run before and after it. */
export function withOutsideHooks(m: Materialization): Materialization {
  return {
    name: m.name,
    run: (req: MaterializeRequest) =>
      aroundBuild(req.warehouse, { pre: req.preHooks, post: req.postHooks }, () => m.run(req)),
  };
}
