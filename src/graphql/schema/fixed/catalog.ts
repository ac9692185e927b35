/**
 * The model catalogue and build history: `ModelInfo` (with its live `freshness`), `RunRecord`
 * and `ModelBuildStats`. Field types are named explicitly (see meta.ts for why).
 */
import 'reflect-metadata';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';

@ObjectType()
export class ColumnInfo {
  @Field(() => String, { description: 'The SQL column name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The GraphQL field name, for exposed models.' })
  field!: string | null;

  @Field(() => String, { nullable: true, description: 'The declared data_type.' })
  dataType!: string | null;

  @Field(() => String)
  description!: string;
}

@ObjectType({ description: 'Whether a model would be rebuilt before answering, and why.' })
export class ModelFreshness {
  @Field(() => Boolean, { description: 'Some of the model or its upstream must be rebuilt before it is current.' })
  stale!: boolean;

  @Field(() => [String], { description: 'Unique ids a query would rebuild first, in build order.' })
  wouldRefresh!: string[];

  @Field(() => [String], { description: 'Why, one line per model (`never built`, `upstream changed (...)`, ...).' })
  reasons!: string[];

  @Field(() => [String], { description: 'Sources upstream whose changes nothing can detect.' })
  untrackedSources!: string[];

  @Field(() => DateTimeScalar)
  checkedAt!: string;
}

@ObjectType({ description: 'A model of the project, exposed or not.' })
export class ModelInfo {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  uniqueId!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String)
  materialization!: string;

  @Field(() => Boolean, { description: 'Whether the model has a query field.' })
  exposed!: boolean;

  @Field(() => String, { nullable: true, description: 'Its query field, when exposed.' })
  queryField!: string | null;

  @Field(() => [ColumnInfo])
  columns!: ColumnInfo[];

  @Field(() => [String], { description: 'Unique ids of the nodes and sources it reads.' })
  upstream!: string[];

  @Field(() => [String], { description: 'Unique ids of the nodes that read it.' })
  downstream!: string[];

  @Field(() => [String])
  tags!: string[];

  @Field(() => DateTimeScalar, { nullable: true })
  lastBuiltAt!: string | null;

  // `freshness` is a field resolver (resolvers/catalog.ts): it plans, so it costs a check only when selected.
}

@ObjectType({ description: 'One node run of one invocation, from run_history.' })
export class RunRecord {
  @Field(() => String)
  invocationId!: string;

  @Field(() => String, { description: "The node's unique id." })
  model!: string;

  @Field(() => String)
  resourceType!: string;

  @Field(() => String, { description: 'full, incremental, view, skipped, ...' })
  kind!: string;

  @Field(() => String)
  status!: string;

  @Field(() => String, { description: 'cli, graphql, mutation or schedule.' })
  trigger!: string;

  @Field(() => DateTimeScalar)
  startedAt!: string;

  @Field(() => DateTimeScalar)
  completedAt!: string;

  @Field(() => Float)
  durationMs!: number;

  @Field(() => Float, { nullable: true })
  rowsAffected!: number | null;

  @Field(() => String, { nullable: true })
  error!: string | null;
}

// Not `ModelPerformance`: that is the row type the example project's exposed mart of that name gets.
@ObjectType({ description: 'Build statistics of one node over a window; durations over successful runs.' })
export class ModelBuildStats {
  @Field(() => String)
  model!: string;

  @Field(() => Int)
  runs!: number;

  @Field(() => Int)
  successes!: number;

  @Field(() => Int)
  failures!: number;

  @Field(() => Int)
  skips!: number;

  @Field(() => Float, { nullable: true })
  avgDurationMs!: number | null;

  @Field(() => Float, { nullable: true })
  p50DurationMs!: number | null;

  @Field(() => Float, { nullable: true })
  p95DurationMs!: number | null;

  @Field(() => Float, { nullable: true })
  maxDurationMs!: number | null;

  @Field(() => Float, { nullable: true })
  avgRows!: number | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastBuiltAt!: string | null;

  @Field(() => DateTimeScalar)
  lastRunAt!: string;

  @Field(() => String)
  lastStatus!: string;
}
