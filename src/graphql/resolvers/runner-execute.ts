/**
 * How a refresh plan is carried out: the runner builds the plan's models in order, recorded in
 * run_history with trigger `graphql`, and its node results become the refresh report. Nodes are
 * selected by their full fqn (`fqn:pkg.folder.name`), which names exactly one node, rather than by
 * name, which another package may share.
 */
import type { RefreshPlan, RefreshReport } from '../../freshness';
import { refreshReportFrom } from '../../freshness';
import type { Manifest } from '../../graph/types';
import type { TargetInfo } from '../../jinja/context/node-context';
import { runProject } from '../../run/runner';
import type { Warehouse } from '../../warehouse';

export interface RunnerExecuteOptions {
  projectDir: string;
  manifest: Manifest;
  warehouse: Warehouse;
  target?: TargetInfo;
  stateSchema?: string;
  vars?: Record<string, unknown> | string;
  noParseCache?: boolean;
}

export function runnerExecute(options: RunnerExecuteOptions): (plan: RefreshPlan) => Promise<RefreshReport> {
  return async (plan) => {
    const started = performance.now();
    const select = plan.order.map((id) => {
      const node = options.manifest.nodes.get(id);
      return node ? `fqn:${node.fqn.join('.')}` : id;
    });
    const summary = await runProject({
      projectDir: options.projectDir,
      command: 'run',
      select,
      warehouse: options.warehouse,
      trigger: 'graphql',
      target: options.target,
      stateSchema: options.stateSchema,
      vars: options.vars,
      noParseCache: options.noParseCache,
    });
    return refreshReportFrom(summary.results, performance.now() - started);
  };
}
