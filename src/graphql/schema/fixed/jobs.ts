/**
 * `RefreshJob`: a refresh or test run started by a mutation. A mutation waits for its job up to
 * `wait` seconds and returns it either way, so a slow build is a RUNNING job to poll with
 * `refreshJob(id)`, never an HTTP error.
 */
import 'reflect-metadata';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';
import { JobStatus, type JobStatusValue } from './enums';
import { RefreshReport, TestReport } from './meta';

@ObjectType({ description: 'One node of a job, as it finished.' })
export class JobNode {
  @Field(() => String)
  model!: string;

  @Field(() => String)
  resourceType!: string;

  @Field(() => String, { description: 'success, error, skipped; tests: pass, warn, fail, error, skipped.' })
  status!: string;

  @Field(() => String, { description: 'full, incremental, view, test, skipped, ...' })
  kind!: string;

  @Field(() => Float)
  durationMs!: number;

  @Field(() => Float, { nullable: true })
  rowsAffected!: number | null;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: 'How far a job has got.' })
export class JobProgress {
  @Field(() => Int, { description: 'Nodes the job will run (0 until selection is done).' })
  total!: number;

  @Field(() => Int)
  done!: number;

  @Field(() => [String], { description: 'Nodes running now.' })
  running!: string[];
}

@ObjectType({ description: 'A refresh (`refresh`) or test run (`runTests`) and its outcome so far.' })
export class RefreshJob {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: '`run` for refresh, `test` for runTests.' })
  command!: string;

  @Field(() => String, { description: 'The selector, as given.' })
  select!: string;

  @Field(() => Boolean)
  fullRefresh!: boolean;

  @Field(() => JobStatus)
  status!: JobStatusValue;

  @Field(() => String, { nullable: true, description: 'The run_history invocation, once started.' })
  invocationId!: string | null;

  @Field(() => DateTimeScalar)
  startedAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  finishedAt!: string | null;

  @Field(() => JobProgress)
  progress!: JobProgress;

  @Field(() => [JobNode], { description: 'Finished nodes, in finishing order.' })
  nodes!: JobNode[];

  @Field(() => RefreshReport, { nullable: true, description: 'For refresh jobs, once finished.' })
  refresh!: RefreshReport | null;

  @Field(() => TestReport, { nullable: true, description: 'Test outcomes of the job (runTests, or tests a refresh ran).' })
  tests!: TestReport | null;

  @Field(() => String, { nullable: true, description: 'Why the job failed as a whole (e.g. a selector matching nothing).' })
  error!: string | null;
}
