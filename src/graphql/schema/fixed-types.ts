/**
 * The fixed surface of the API, the same for every project: `ModelMeta` (what happened to answer a
 * query), the model catalogue, run history and performance. Plain graphql-js objects (not
 * type-graphql classes): the per-model types are generated at runtime from the manifest, which
 * decorators cannot express, and type-graphql needs a `reflect-metadata` polyfill this package does
 * not ship; one way of building types keeps the schema code small.
 *
 * The resolvers return plain records shaped like these types (see resolvers/), so every field here
 * uses graphql-js's default property resolver.
 */
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
  type GraphQLOutputType,
} from 'graphql';
import { CACHE_MODES } from '../../freshness';
import { DateTimeScalar } from './scalars';

const nn = <T extends GraphQLOutputType>(type: T) => new GraphQLNonNull(type);
const list = <T extends GraphQLOutputType>(type: T) => new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type)));
const enumOf = (name: string, description: string, values: Record<string, string>) =>
  new GraphQLEnumType({
    name,
    description,
    values: Object.fromEntries(Object.entries(values).map(([value, desc]) => [value, { value, description: desc }])),
  });

export const FreshnessEnum = enumOf('Freshness', 'How the rows of an answer relate to the data upstream.', {
  FRESH: 'Nothing upstream had changed: answered from the model as built.',
  REFRESHED: 'The stale slice of the DAG was rebuilt first; the rows include every change.',
  STALE_SERVED: 'Answered from the model as last built while (or although) upstream changed.',
});

export const RefreshKindEnum = enumOf('RefreshKind', 'What a refresh rebuilt.', {
  FULL: 'At least one model was rebuilt from scratch.',
  INCREMENTAL: 'Every rebuilt model ran incrementally.',
  NONE: 'Nothing was rebuilt.',
});

export const CacheModeEnum = new GraphQLEnumType({
  name: 'CacheMode',
  description: 'What to do when the model is stale (the modes BI tools know from Cube).',
  values: Object.fromEntries(CACHE_MODES.map((mode) => [mode, { value: mode }])),
});

export const SortDirectionEnum = enumOf('SortDirection', 'Ascending or descending.', {
  ASC: 'Smallest first.',
  DESC: 'Largest first.',
});

export const NullsOrderEnum = enumOf('NullsOrder', "Where NULLs go (Postgres's default: LAST for ASC, FIRST for DESC).", {
  FIRST: 'NULLs before values.',
  LAST: 'NULLs after values.',
});

export const RefreshReportType = new GraphQLObjectType({
  name: 'RefreshReport',
  description: 'What was rebuilt to answer (kind NONE when nothing was).',
  fields: {
    kind: { type: nn(RefreshKindEnum) },
    durationMs: { type: nn(GraphQLFloat) },
    rowsAffected: { type: nn(GraphQLFloat), description: 'Rows written by the rebuilt models.' },
    refreshedModels: { type: list(GraphQLString), description: 'Unique ids, in build order.' },
    failedModels: { type: list(GraphQLString), description: 'Models whose rebuild failed (their old data stays).' },
  },
});

export const TestReportType = new GraphQLObjectType({
  name: 'TestReport',
  description: "The latest result of each data test attached to the model.",
  fields: {
    passed: { type: nn(GraphQLInt) },
    failed: { type: nn(GraphQLInt) },
    warned: { type: nn(GraphQLInt) },
    lastRunAt: { type: DateTimeScalar },
  },
});

export const ModelMetaType = new GraphQLObjectType({
  name: 'ModelMeta',
  description: 'What happened to answer a model query.',
  fields: {
    model: { type: nn(GraphQLString), description: "The model's unique id." },
    relation: { type: nn(GraphQLString), description: '`schema.identifier` the rows were read from.' },
    materialization: { type: nn(GraphQLString) },
    freshness: { type: nn(FreshnessEnum) },
    refresh: { type: nn(RefreshReportType) },
    lastBuiltAt: { type: DateTimeScalar, description: 'When the model was last built (after any refresh).' },
    queryMs: { type: nn(GraphQLFloat), description: 'Time spent reading the rows (and the count).' },
    tests: { type: nn(TestReportType) },
  },
});

export const ColumnInfoType = new GraphQLObjectType({
  name: 'ColumnInfo',
  fields: {
    name: { type: nn(GraphQLString), description: 'The SQL column name.' },
    field: { type: GraphQLString, description: 'The GraphQL field name, for exposed models.' },
    dataType: { type: GraphQLString, description: 'The declared data_type.' },
    description: { type: nn(GraphQLString) },
  },
});

export const ModelInfoType = new GraphQLObjectType({
  name: 'ModelInfo',
  description: 'A model of the project, exposed or not.',
  fields: {
    name: { type: nn(GraphQLString) },
    uniqueId: { type: nn(GraphQLString) },
    description: { type: nn(GraphQLString) },
    materialization: { type: nn(GraphQLString) },
    exposed: { type: nn(GraphQLBoolean), description: 'Whether the model has a query field.' },
    queryField: { type: GraphQLString, description: 'Its query field, when exposed.' },
    columns: { type: list(ColumnInfoType) },
    upstream: { type: list(GraphQLString), description: 'Unique ids of the nodes and sources it reads.' },
    downstream: { type: list(GraphQLString), description: 'Unique ids of the nodes that read it.' },
    tags: { type: list(GraphQLString) },
    lastBuiltAt: { type: DateTimeScalar },
  },
});

export const RunRecordType = new GraphQLObjectType({
  name: 'RunRecord',
  description: 'One node run of one invocation, from run_history.',
  fields: {
    invocationId: { type: nn(GraphQLString) },
    model: { type: nn(GraphQLString), description: "The node's unique id." },
    resourceType: { type: nn(GraphQLString) },
    kind: { type: nn(GraphQLString), description: 'full, incremental, view, skipped, ...' },
    status: { type: nn(GraphQLString) },
    trigger: { type: nn(GraphQLString), description: 'cli, graphql, mutation or schedule.' },
    startedAt: { type: nn(DateTimeScalar) },
    completedAt: { type: nn(DateTimeScalar) },
    durationMs: { type: nn(GraphQLFloat) },
    rowsAffected: { type: GraphQLFloat },
    error: { type: GraphQLString },
  },
});

export const ModelPerformanceType = new GraphQLObjectType({
  // Not `ModelPerformance`: that is the row type the example project's exposed mart of that name gets.
  name: 'ModelBuildStats',
  description: 'Build statistics of one node over a window; durations over successful runs.',
  fields: {
    model: { type: nn(GraphQLString) },
    runs: { type: nn(GraphQLInt) },
    successes: { type: nn(GraphQLInt) },
    failures: { type: nn(GraphQLInt) },
    skips: { type: nn(GraphQLInt) },
    avgDurationMs: { type: GraphQLFloat },
    p50DurationMs: { type: GraphQLFloat },
    p95DurationMs: { type: GraphQLFloat },
    maxDurationMs: { type: GraphQLFloat },
    avgRows: { type: GraphQLFloat },
    lastBuiltAt: { type: DateTimeScalar },
    lastRunAt: { type: nn(DateTimeScalar) },
    lastStatus: { type: nn(GraphQLString) },
  },
});
