/**
 * Prints run events as dbt prints them: one START and one OK/ERROR/SKIP/PASS/WARN/FAIL line per node
 * with the relation, rows affected and seconds, then the errors in full and a `Done.` summary.
 */
import { formatError } from '../errors';
import type { NodeResult, RunEvent } from '../run/types';

const WIDTH = 80;

function clock(): string {
  return new Date().toISOString().slice(11, 19);
}

function dots(left: string, right: string): string {
  const fill = Math.max(3, WIDTH - left.length);
  return `${left} ${'.'.repeat(fill)} ${right}`;
}

function seconds(r: NodeResult): string {
  return `${((r.completedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(2)}s`;
}

function finishLine(r: NodeResult, index: number, total: number): string {
  const prefix = `${index} of ${total}`;
  const what =
    r.resourceType === 'test'
      ? r.name
      : r.resourceType === 'seed'
        ? `seed file ${r.relation ?? r.name}`
        : r.resourceType === 'snapshot'
          ? `snapshot ${r.relation ?? r.name}`
          : `${r.materialization ?? ''} ${r.resourceType} ${r.relation ?? r.name}`;
  switch (r.status) {
    case 'success': {
      const rows = r.rowsAffected === null ? '' : ` ${r.rowsAffected}`;
      return dots(`${prefix} OK created ${what}`, `[${r.kind.toUpperCase()}${rows} in ${seconds(r)}]`);
    }
    case 'pass':
      return dots(`${prefix} PASS ${what}`, `[PASS in ${seconds(r)}]`);
    case 'warn':
      return dots(
        `${prefix} WARN ${r.failures ?? ''} ${what}`,
        `[WARN ${r.failures ?? ''} in ${seconds(r)}]`,
      );
    case 'fail':
      return dots(
        `${prefix} FAIL ${r.failures ?? ''} ${what}`,
        `[FAIL ${r.failures ?? ''} in ${seconds(r)}]`,
      );
    case 'error':
      return dots(
        `${prefix} ERROR ${r.resourceType === 'test' ? 'in' : 'creating'} ${what}`,
        `[ERROR in ${seconds(r)}]`,
      );
    case 'skipped':
      return dots(`${prefix} SKIP ${what}`, '[SKIP]');
    default: {
      const unreachable: never = r.status;
      return String(unreachable);
    }
  }
}

export function createProgressPrinter(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  return (event: RunEvent): void => {
    switch (event.type) {
      case 'invocation-start':
        write(`${clock()}  Running ${event.command} (invocation ${event.invocationId})`);
        write(`${clock()}  Found ${event.description || 'nothing to run'}`);
        break;
      case 'node-start':
        write(`${clock()}  ${dots(`${event.index} of ${event.total} START ${event.description}`, '[RUN]')}`);
        break;
      case 'node-finish':
        write(`${clock()}  ${finishLine(event.result, event.index, event.total)}`);
        break;
      case 'hook':
        write(
          `${clock()}  ${dots(`${event.status === 'ok' ? 'OK' : 'ERROR'} hook ${event.name}`, `[${event.status.toUpperCase()} in ${(event.ms / 1000).toFixed(2)}s]`)}`,
        );
        break;
      case 'invocation-finish': {
        const { summary } = event;
        write(
          `${clock()}  Finished ${summary.command} of ${summary.counts.total} node${summary.counts.total === 1 ? '' : 's'} in ${(summary.elapsedMs / 1000).toFixed(2)}s.`,
        );
        const problems = summary.results.filter(
          (r) => r.status === 'error' || r.status === 'fail' || r.status === 'warn',
        );
        if (problems.length) {
          write('');
          write(
            `${clock()}  Completed with ${summary.counts.error} error${summary.counts.error === 1 ? '' : 's'} and ${summary.counts.warn} warning${summary.counts.warn === 1 ? '' : 's'}:`,
          );
          for (const r of problems) {
            write('');
            write(
              r.error
                ? formatError(r.error)
                : `${r.status === 'warn' ? 'Warning' : 'Failure'} in test ${r.name}: ${r.message}`,
            );
          }
        }
        const c = summary.counts;
        write('');
        write(
          `${clock()}  Done. PASS=${c.pass} WARN=${c.warn} ERROR=${c.error} SKIP=${c.skip} TOTAL=${c.total}`,
        );
        break;
      }
      default: {
        const unreachable: never = event;
        throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  };
}
