/**
 * The operator's surface: `refresh(select, fullRefresh, wait)` and `runTests(select, wait)` start
 * a job and wait for it up to `wait` seconds, returning it finished or RUNNING (to poll with
 * `refreshJob(id)`), so a slow build never becomes an HTTP error. Both need the admin token.
 * Jobs are tracked as background work, so a graceful shutdown lets them finish.
 */
import 'reflect-metadata';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { RefreshJob } from '../schema/fixed/jobs';
import { badInput, boundedInt, forbidden } from './bounds';
import type { ApiContext } from './context';
import type { JobRecord, JobStart } from './jobs';

const MAX_WAIT_S = 300;
const MAX_SELECT_CHARS = 10_000;

function toJob(job: JobRecord): RefreshJob {
  const { settled: _settled, ...fields } = job;
  return {
    ...fields,
    progress: { ...job.progress },
    nodes: [...job.nodes],
    refresh: job.refresh ? { ...job.refresh, failedModels: job.refresh.failedModels ?? [] } : null,
  };
}

async function startJob(
  ctx: ApiContext,
  request: JobStart,
  waitS: number,
  what: string,
): Promise<RefreshJob> {
  if (!ctx.admin)
    throw forbidden(`${what} needs the admin token (Authorization: Bearer <MARTQL_ADMIN_TOKEN>)`);
  const wait = boundedInt(waitS, 0, MAX_WAIT_S, 'wait');
  if (request.select.length > MAX_SELECT_CHARS)
    throw badInput('select', `at most ${MAX_SELECT_CHARS} characters`);
  const { jobs, background, log } = ctx.services;
  const job = jobs.start(request);
  background.add(job.settled, (err) => log({ event: 'job_failed', job: job.id, error: String(err) }));
  log({ event: 'job_started', job: job.id, command: request.command, select: request.select });
  // Never past the request timeout: the client must get the job id to poll.
  await jobs.wait(job, Math.min(wait * 1000, ctx.services.jobWaitLimitMs));
  return toJob(job);
}

@Resolver()
export class JobResolver {
  @Query(() => RefreshJob, {
    nullable: true,
    description:
      'A job started by `refresh` or `runTests` in this server process; null when unknown or long gone.',
  })
  refreshJob(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): RefreshJob | null {
    const job = ctx.services.jobs.get(String(id));
    return job ? toJob(job) : null;
  }

  @Mutation(() => RefreshJob, {
    description:
      'Rebuild the selected models (dbt selector syntax, e.g. `cohort_retention+ tag:daily`; every model when empty), incrementally unless `fullRefresh`. Waits up to `wait` seconds. Admin only.',
  })
  refresh(
    @Arg('select', () => String, { defaultValue: '' }) select: string,
    @Arg('fullRefresh', () => Boolean, { defaultValue: false }) fullRefresh: boolean,
    @Arg('wait', () => Int, {
      defaultValue: 10,
      description: 'Seconds to wait before returning a RUNNING job (0-300).',
    })
    wait: number,
    @Ctx() ctx: ApiContext,
  ): Promise<RefreshJob> {
    return startJob(ctx, { command: 'run', select, fullRefresh }, wait, 'refresh');
  }

  @Mutation(() => RefreshJob, {
    description:
      'Run the data tests of the selection (every test when empty). Waits up to `wait` seconds. Admin only.',
  })
  runTests(
    @Arg('select', () => String, { defaultValue: '' }) select: string,
    @Arg('wait', () => Int, {
      defaultValue: 10,
      description: 'Seconds to wait before returning a RUNNING job (0-300).',
    })
    wait: number,
    @Ctx() ctx: ApiContext,
  ): Promise<RefreshJob> {
    return startJob(ctx, { command: 'test', select, fullRefresh: false }, wait, 'runTests');
  }
}
