/**
 * The freshness step of a model query: plan, decide by cache mode, carry the decision out. Runs
 * before the rows are read, so a REFRESHED answer reads the rebuilt relation. Concurrent requests
 * for one stale model share one refresh (the freshness refresher is single-flight in process and
 * takes an advisory lock across processes).
 */
import { GraphQLError } from 'graphql';
import {
  cacheModeNeedsAdmin,
  decide,
  noRefresh,
  withinBudget,
  type CacheMode,
  type FreshnessLabel,
  type RefreshReport,
} from '../../freshness';
import { MartqlError } from '../../errors';
import type { ApiContext } from './context';
import type { ExposedModel } from '../schema';

export interface FreshnessOutcome {
  freshness: FreshnessLabel;
  refresh: RefreshReport;
  /**
   * The version of the model's data the answer reads, when known without another check: the
   * planned version when nothing was rebuilt first. Absent after a refresh (the rows are new).
   */
  version?: string | null;
}

/**
 * A refresh in which a model of the slice failed leaves that model's old data (and everything
 * built on it) in place: the answer is then stale, and `refresh.failedModels` says why.
 */
function refreshed(report: RefreshReport): FreshnessOutcome {
  const failed = (report.failedModels?.length ?? 0) > 0;
  return { freshness: failed ? 'STALE_SERVED' : 'REFRESHED', refresh: report };
}

export async function ensureFresh(
  ctx: ApiContext,
  model: ExposedModel,
  mode: CacheMode,
): Promise<FreshnessOutcome> {
  const { freshness, log } = ctx.services;
  if (cacheModeNeedsAdmin(mode) && !ctx.admin) {
    throw new GraphQLError(`cache: ${mode} needs the admin token`, {
      extensions: { code: 'FORBIDDEN', argumentPath: 'cache' },
    });
  }
  const plan = await freshness.plan(model.uniqueId);
  const decision = decide(mode, plan, ctx.services.staleIfSlowBudgetMs);
  const startRefresh = () => {
    const started = freshness.refresh(model.uniqueId, plan, {
      force: decision.action === 'REFRESH_THEN_ANSWER' && decision.force,
    });
    // Whatever a request reads next must see the rebuilt model's state.
    void started.then(
      () => ctx.loaders.modelState.clearAll(),
      () => undefined,
    );
    return started;
  };
  switch (decision.action) {
    case 'ANSWER':
      return { freshness: 'FRESH', refresh: noRefresh(0), version: plan.targetVersion };
    case 'REFRESH_THEN_ANSWER':
      return refreshed(await startRefresh());
    case 'ANSWER_THEN_REFRESH':
      ctx.services.background.add(startRefresh(), (err) =>
        log({ event: 'background_refresh_failed', model: model.uniqueId, error: String(err) }),
      );
      return { freshness: 'STALE_SERVED', refresh: noRefresh(0), version: plan.targetVersion };
    case 'WAIT_UP_TO_BUDGET': {
      const running = startRefresh();
      const outcome = await withinBudget(running, decision.budgetMs);
      if (outcome.done) return refreshed(outcome.value);
      ctx.services.background.add(running, (err) =>
        log({ event: 'background_refresh_failed', model: model.uniqueId, error: String(err) }),
      );
      return { freshness: 'STALE_SERVED', refresh: noRefresh(decision.budgetMs) };
    }
    default: {
      const never: never = decision;
      throw new MartqlError('INTERNAL', `unknown cache decision ${JSON.stringify(never)}`);
    }
  }
}
