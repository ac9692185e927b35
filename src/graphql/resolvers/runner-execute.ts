/**
 * How the API runs the project: `refresh(plan)` builds a freshness plan's models in order
 * (trigger `graphql`) and reports them as a refresh; `run(request)` carries out a mutation's
 * selector (trigger `mutation`). Plan nodes are selected by their full fqn
 * (`fqn:pkg.folder.name`), which names exactly one node, rather than by name, which another
 * package may share.
 */
import type { RefreshPlan, RefreshReport } from '../../freshness';
import { refreshReportFrom } from '../../freshness';
import type { Manifest } from '../../graph/types';
import type { TargetInfo } from '../../jinja/context/node-context';
import { runProject } from '../../run/runner';
import type { RunEvent, RunSummary } from '../../run/types';
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

export interface JobRunRequest {
  command: 'run' | 'test' | 'build';
  select: string[];
  fullRefresh: boolean;
  onEvent?: (event: RunEvent) => void;
}

export interface ProjectRunner {
  refresh(plan: RefreshPlan): Promise<RefreshReport>;
  run(request: JobRunRequest): Promise<RunSummary>;
}

export function projectRunner(options: RunnerExecuteOptions): ProjectRunner {
  const base = {
    projectDir: options.projectDir,
    warehouse: options.warehouse,
    target: options.target,
    stateSchema: options.stateSchema,
    vars: options.vars,
    noParseCache: options.noParseCache,
  };
  return {
    async refresh(plan) {
      const started = performance.now();
      const select = plan.order.map((id) => {
        const node = options.manifest.nodes.get(id);
        return node ? `fqn:${node.fqn.join('.')}` : id;
      });
      const summary = await runProject({ ...base, command: 'run', select, trigger: 'graphql' });
      return refreshReportFrom(summary.results, performance.now() - started);
    },
    run: (request) =>
      runProject({
        ...base,
        command: request.command,
        select: request.select,
        fullRefresh: request.fullRefresh,
        trigger: 'mutation',
        onEvent: request.onEvent,
      }),
  };
}

/** The freshness executor alone (what `createFreshness` takes). */
export function runnerExecute(options: RunnerExecuteOptions): (plan: RefreshPlan) => Promise<RefreshReport> {
  return projectRunner(options).refresh;
}
