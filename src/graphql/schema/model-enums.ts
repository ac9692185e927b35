/**
 * Enums used only by the generated per-model fields (plain graphql-js, built with them): the
 * `cache` mode, sort direction and nulls placement, the time grain and the aggregate to order by.
 * The internal values are what the query builder takes (`'month'`, `'sum'`).
 */
import { GraphQLEnumType } from 'graphql';
import { CACHE_MODES } from '../../freshness';

const enumOf = (name: string, description: string, values: Record<string, [value: string, description?: string]>) =>
  new GraphQLEnumType({
    name,
    description,
    values: Object.fromEntries(
      Object.entries(values).map(([key, [value, desc]]) => [key, { value, ...(desc ? { description: desc } : {}) }]),
    ),
  });

const CACHE_MODE_DESCRIPTIONS: Record<(typeof CACHE_MODES)[number], string> = {
  MUST_REVALIDATE: 'Refresh the stale slice of the DAG, then answer (the default).',
  STALE_WHILE_REVALIDATE: 'Answer from the data as built now; refresh in the background.',
  STALE_IF_SLOW: 'Wait for the refresh up to a budget, then answer stale while it finishes.',
  NO_CACHE: 'Rebuild the model even when fresh, then answer (admin only).',
};

export const CacheModeEnum = enumOf(
  'CacheMode',
  'What to do when the model is stale (the modes BI tools know from Cube).',
  Object.fromEntries(CACHE_MODES.map((mode) => [mode, [mode, CACHE_MODE_DESCRIPTIONS[mode]]])),
);

export const SortDirectionEnum = enumOf('SortDirection', 'Ascending or descending.', {
  ASC: ['ASC', 'Smallest first.'],
  DESC: ['DESC', 'Largest first.'],
});

export const NullsOrderEnum = enumOf('NullsOrder', "Where NULLs go (Postgres's default: LAST for ASC, FIRST for DESC).", {
  FIRST: ['FIRST', 'NULLs before values.'],
  LAST: ['LAST', 'NULLs after values.'],
});

export const TimeGrainEnum = enumOf('TimeGrain', 'The bucket of a date or timestamp column (weeks start on Monday).', {
  HOUR: ['hour'],
  DAY: ['day'],
  WEEK: ['week'],
  MONTH: ['month'],
  QUARTER: ['quarter'],
  YEAR: ['year'],
});

export const AggregateFunctionEnum = enumOf('AggregateFunction', 'An aggregate to order aggregate rows by.', {
  COUNT: ['count', 'The number of rows (takes no column).'],
  SUM: ['sum'],
  AVG: ['avg'],
  MIN: ['min'],
  MAX: ['max'],
});
