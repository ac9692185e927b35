/**
 * The enums of the fixed surface, registered with type-graphql. Each is a plain `as const` object
 * (the values are the strings resolvers return), so the rest of the code keeps using string unions.
 * Enums only the generated per-model types use are in ../model-enums.ts.
 */
import 'reflect-metadata';
import { registerEnumType } from 'type-graphql';

export const Freshness = {
  FRESH: 'FRESH',
  REFRESHED: 'REFRESHED',
  STALE_SERVED: 'STALE_SERVED',
} as const;
registerEnumType(Freshness, {
  name: 'Freshness',
  description: 'How the rows of an answer relate to the data upstream.',
  valuesConfig: {
    FRESH: { description: 'Nothing upstream had changed: answered from the model as built.' },
    REFRESHED: { description: 'The stale slice of the DAG was rebuilt first; the rows include every change.' },
    STALE_SERVED: { description: 'Answered from the model as last built while (or although) upstream changed.' },
  },
});

export const RefreshKind = { FULL: 'FULL', INCREMENTAL: 'INCREMENTAL', NONE: 'NONE' } as const;
registerEnumType(RefreshKind, {
  name: 'RefreshKind',
  description: 'What a refresh rebuilt.',
  valuesConfig: {
    FULL: { description: 'At least one model was rebuilt from scratch.' },
    INCREMENTAL: { description: 'Every rebuilt model ran incrementally.' },
    NONE: { description: 'Nothing was rebuilt.' },
  },
});

export const JobStatus = {
  RUNNING: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
} as const;
export type JobStatusValue = keyof typeof JobStatus;
registerEnumType(JobStatus, {
  name: 'JobStatus',
  description: 'Where a refresh or test job is.',
  valuesConfig: {
    RUNNING: { description: 'Still building or testing; poll `refreshJob(id)`.' },
    SUCCEEDED: { description: 'Every selected node succeeded (tests: passed or warned).' },
    FAILED: { description: 'At least one node failed or errored; the others ran as far as they could.' },
  },
});
