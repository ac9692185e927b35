/**
 * `on-run-start` / `on-run-end`: project-level hooks, rendered as Jinja in a context with no current
 * node (dbt gives them `target`, `var`, `run_query`...; `this` is none) and run in order. A failing
 * hook fails the invocation, as in dbt.
 */
import { createNodeContext } from '../jinja/context/node-context';
import { MartqlError } from '../errors';
import type { RunContext } from './run-context';
import type { RunEvent } from './types';

export async function runProjectHooks(
  rc: RunContext,
  hooks: string[],
  name: 'on-run-start' | 'on-run-end',
  emit: (event: RunEvent) => void,
): Promise<void> {
  const cs = rc.session;
  for (const [i, hook] of hooks.entries()) {
    const started = performance.now();
    const label = `dbt_project.yml (${name} ${i + 1})`;
    try {
      const { context, scope } = createNodeContext(cs.settings, {
        package: cs.project.name,
        path: 'dbt_project.yml',
        execute: true,
        ref: () => {
          throw new MartqlError('JINJA_RENDER', `${name} hooks cannot call ref()`);
        },
        source: () => {
          throw new MartqlError('JINJA_RENDER', `${name} hooks cannot call source()`);
        },
        config: { set: () => undefined, get: () => undefined },
        model: {},
        isIncremental: () => false,
      });
      const sql = scope.run(() => cs.engine.render(cs.engine.compile(hook, label), context));
      if (sql.trim()) await rc.warehouse.exec(sql);
      emit({ type: 'hook', name: `${name} ${i + 1}`, status: 'ok', ms: performance.now() - started });
    } catch (err) {
      emit({ type: 'hook', name: `${name} ${i + 1}`, status: 'error', ms: performance.now() - started });
      throw err instanceof MartqlError ? err.at({ file: 'dbt_project.yml' }) : err;
    }
  }
}
