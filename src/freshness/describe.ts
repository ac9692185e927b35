/**
 * A refresh plan in words, for logs, the CLI and test failures: what will be rebuilt, in which
 * order and why; what is tolerated; which sources nothing can check.
 */
import type { RefreshPlan, StaleNode, StaleReason } from './plan';
import { unreachable } from './versions';

export function describeReason(reason: StaleReason): string {
  switch (reason) {
    case 'never_built':
      return 'never built';
    case 'sql_changed':
      return 'compiled SQL changed';
    case 'upstream_changed':
      return 'upstream changed';
    case 'upstream_stale':
      return 'upstream is being refreshed';
    case 'last_build_failed':
      return 'last build failed';
    case 'forced':
      return 'refresh forced';
    default:
      throw unreachable(reason);
  }
}

function describeStale(s: StaleNode): string {
  return s.reasons
    .map((r) =>
      r === 'upstream_changed' && s.changedParents?.length
        ? `${describeReason(r)} (${s.changedParents.join(', ')})`
        : describeReason(r),
    )
    .join('; ');
}

/** Several lines; the first says whether anything is to be done. */
export function describePlan(plan: RefreshPlan): string {
  const checked = new Date(plan.checkedAt).toISOString();
  const lines = [
    plan.fresh
      ? `${plan.target}: fresh (checked ${checked})`
      : `${plan.target}: ${plan.order.length} to refresh (checked ${checked})`,
  ];
  const width = Math.max(0, ...plan.stale.map((s) => s.id.length));
  plan.stale.forEach((s, i) => lines.push(`  ${i + 1}. ${s.id.padEnd(width)}  ${describeStale(s)}`));
  for (const t of plan.tolerated) {
    lines.push(
      `  within max_staleness: ${t.id} (${t.reasons.map(describeReason).join('; ')}; built ${t.builtAt}, tolerates ${t.maxStalenessS} s)`,
    );
  }
  if (plan.untracked.length > 0) {
    lines.push(
      `  no change detection for: ${plan.untracked.join(', ')} (install a trigger, or set loaded_at_field or refresh_key)`,
    );
  }
  return lines.join('\n');
}
