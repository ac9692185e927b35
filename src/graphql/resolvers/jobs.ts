/**
 * Refresh and test jobs started by mutations, kept in this process's memory: the job record is
 * updated from the runner's events as nodes start and finish, so `refreshJob(id)` can report
 * progress while the run goes on. Finished jobs are kept (the newest `keep`) so a client that
 * polls after the end still sees the outcome; the run itself is in run_history for good.
 */
import { randomUUID } from 'node:crypto';
import { refreshReportFrom, type RefreshReport } from '../../freshness';
import type { NodeResult, RunEvent, RunSummary } from '../../run/types';
import type { JobStatusValue } from '../schema/fixed/enums';
import type { JobRunRequest, ProjectRunner } from './runner-execute';

export interface JobNodeRecord {
  model: string;
  resourceType: string;
  status: string;
  kind: string;
  durationMs: number;
  rowsAffected: number | null;
  message: string;
}

export interface TestCounts {
  passed: number;
  failed: number;
  warned: number;
  lastRunAt: string | null;
}

export interface JobRecord {
  id: string;
  command: JobRunRequest['command'];
  select: string;
  fullRefresh: boolean;
  status: JobStatusValue;
  invocationId: string | null;
  startedAt: string;
  finishedAt: string | null;
  progress: { total: number; done: number; running: string[] };
  nodes: JobNodeRecord[];
  refresh: RefreshReport | null;
  tests: TestCounts | null;
  error: string | null;
  /** Resolves when the job has finished, successfully or not; never rejects. */
  settled: Promise<void>;
}

export interface JobStart {
  command: JobRunRequest['command'];
  /** The selector as the client wrote it ('' for everything). */
  select: string;
  fullRefresh: boolean;
}

function nodeRecord(r: NodeResult): JobNodeRecord {
  return {
    model: r.uniqueId,
    resourceType: r.resourceType,
    status: r.status,
    kind: r.kind,
    durationMs: r.completedAt.getTime() - r.startedAt.getTime(),
    rowsAffected: r.rowsAffected,
    message: r.message,
  };
}

function testCounts(results: readonly NodeResult[]): TestCounts | null {
  const tests = results.filter((r) => r.resourceType === 'test' && r.status !== 'skipped');
  if (tests.length === 0) return null;
  const last = Math.max(...tests.map((r) => r.completedAt.getTime()));
  return {
    passed: tests.filter((r) => r.status === 'pass').length,
    failed: tests.filter((r) => r.status === 'fail' || r.status === 'error').length,
    warned: tests.filter((r) => r.status === 'warn').length,
    lastRunAt: new Date(last).toISOString(),
  };
}

export class JobRegistry {
  private readonly jobs = new Map<string, JobRecord>();

  constructor(
    private readonly runner: ProjectRunner,
    /** Called once per finished job, with the run's summary when it got that far. */
    private readonly onFinished: (job: JobRecord, summary: RunSummary | undefined) => void = () => undefined,
    private readonly keep = 200,
  ) {}

  get(id: string): JobRecord | undefined {
    return this.jobs.get(id);
  }

  start(request: JobStart): JobRecord {
    const startedMs = performance.now();
    const job: JobRecord = {
      id: randomUUID(),
      command: request.command,
      select: request.select,
      fullRefresh: request.fullRefresh,
      status: 'RUNNING',
      invocationId: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: { total: 0, done: 0, running: [] },
      nodes: [],
      refresh: null,
      tests: null,
      error: null,
      settled: Promise.resolve(),
    };
    const onEvent = (event: RunEvent) => {
      switch (event.type) {
        case 'invocation-start':
          job.invocationId = event.invocationId;
          job.progress.total = event.total;
          break;
        case 'node-start':
          job.progress.running = [...job.progress.running, event.uniqueId];
          break;
        case 'node-finish':
          job.progress.running = job.progress.running.filter((id) => id !== event.result.uniqueId);
          job.progress.done += 1;
          job.nodes.push(nodeRecord(event.result));
          break;
        default:
          break;
      }
    };
    // The selector parser splits the words itself; an empty selector means every node.
    const select = request.select.trim() ? [request.select] : [];
    job.settled = this.runner
      .run({ command: request.command, select, fullRefresh: request.fullRefresh, onEvent })
      .then(
        (summary) => {
          job.status = summary.success ? 'SUCCEEDED' : 'FAILED';
          job.progress.running = [];
          if (request.command !== 'test')
            job.refresh = refreshReportFrom(summary.results, performance.now() - startedMs);
          job.tests = testCounts(summary.results);
          return summary;
        },
        (err: unknown) => {
          job.status = 'FAILED';
          job.progress.running = [];
          job.error = err instanceof Error ? err.message : String(err);
          return undefined;
        },
      )
      .then((summary) => {
        job.finishedAt = new Date().toISOString();
        this.onFinished(job, summary);
      });
    this.jobs.set(job.id, job);
    this.prune();
    return job;
  }

  /** Waits for the job up to `ms`; returns whether it finished. */
  async wait(job: JobRecord, ms: number): Promise<boolean> {
    if (job.finishedAt) return true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      job.settled.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
    clearTimeout(timer);
    return finished;
  }

  /** Every job not yet finished (shutdown waits for them). */
  running(): JobRecord[] {
    return [...this.jobs.values()].filter((job) => !job.finishedAt);
  }

  private prune(): void {
    if (this.jobs.size <= this.keep) return;
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= this.keep) break;
      if (job.finishedAt) this.jobs.delete(id);
    }
  }
}
