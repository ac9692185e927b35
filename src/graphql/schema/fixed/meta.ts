/**
 * `ModelMeta` and its parts: what happened to answer a model query. The resolvers return plain
 * records of these shapes (resolvers/meta.ts), so every field uses the default property resolver.
 *
 * Every `@Field` names its type explicitly: the runtime compiles this code with esbuild (through
 * tsx), which does not emit the decorator metadata type-graphql would otherwise read types from.
 */
import 'reflect-metadata';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../scalars';
import { Freshness, RefreshKind } from './enums';

@ObjectType({ description: 'What was rebuilt to answer (kind NONE when nothing was).' })
export class RefreshReport {
  @Field(() => RefreshKind)
  kind!: keyof typeof RefreshKind;

  @Field(() => Float)
  durationMs!: number;

  @Field(() => Float, { description: 'Rows written by the rebuilt models.' })
  rowsAffected!: number;

  @Field(() => [String], { description: 'Unique ids, in build order.' })
  refreshedModels!: string[];

  @Field(() => [String], { description: 'Models whose rebuild failed (their old data stays).' })
  failedModels!: string[];
}

@ObjectType({ description: 'The latest result of each data test attached to the model.' })
export class TestReport {
  @Field(() => Int)
  passed!: number;

  @Field(() => Int)
  failed!: number;

  @Field(() => Int)
  warned!: number;

  @Field(() => DateTimeScalar, { nullable: true })
  lastRunAt!: string | null;
}

@ObjectType({ description: 'What happened to answer a model query.' })
export class ModelMeta {
  @Field(() => String, { description: "The model's unique id." })
  model!: string;

  @Field(() => String, { description: '`schema.identifier` the rows were read from.' })
  relation!: string;

  @Field(() => String)
  materialization!: string;

  @Field(() => Freshness)
  freshness!: keyof typeof Freshness;

  @Field(() => RefreshReport)
  refresh!: RefreshReport;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the model was last built (after any refresh).' })
  lastBuiltAt!: string | null;

  @Field(() => Float, { description: 'Time spent reading the rows (and the count); 0 when served from the result cache.' })
  queryMs!: number;

  @Field(() => Boolean, { description: 'Whether the rows came from the result cache (same query, same model version).' })
  cached!: boolean;

  @Field(() => TestReport)
  tests!: TestReport;
}
