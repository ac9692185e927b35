/**
 * The playground's opening tabs, written from the project's exposed models so a new user sees
 * queries that run against this project's marts rather than an empty editor. Pure: models in,
 * query texts out.
 */
import type { ExposedModel } from '../graphql/schema';

export interface ExampleTab {
  query: string;
}

/** Enough tabs to show the shape of the API without burying the editor. */
const MAX_MODEL_TABS = 6;
/** A row of a wide mart stays readable in the result pane. */
const MAX_COLUMNS = 8;
const EXAMPLE_LIMIT = 10;

function operationName(model: ExposedModel): string {
  return model.typeName;
}

export function modelExample(model: ExposedModel): string {
  const columns = model.columns.slice(0, MAX_COLUMNS).map((c) => c.field);
  const more = model.columns.length - columns.length;
  return [
    `# ${model.name}: ${EXAMPLE_LIMIT} rows and how fresh they are. A stale model is refreshed before`,
    '# it answers (meta.freshness REFRESHED, meta.refresh.kind INCREMENTAL or FULL).',
    ...(more > 0 ? [`# ${more} more columns: see the Docs pane or press Ctrl-Space in \`rows\`.`] : []),
    `query ${operationName(model)} {`,
    `  ${model.fieldName}(limit: ${EXAMPLE_LIMIT}) {`,
    `    rows { ${columns.join(' ')} }`,
    '    totalCount',
    '    meta { freshness lastBuiltAt refresh { kind durationMs refreshedModels } }',
    '  }',
    '}',
    '',
  ].join('\n');
}

const CATALOG_EXAMPLE = [
  '# Every model of the project and the latest runs.',
  'query Catalog {',
  '  models { name queryField materialization lastBuiltAt }',
  '  runHistory(limit: 10) { model kind status trigger startedAt }',
  '}',
  '',
].join('\n');

const HEADER = [
  '# MartQL playground. Each exposed model is a query field; run a tab with Ctrl-Enter.',
  '# When the server asks for a token, add {"Authorization": "Bearer <token>"} under Headers.',
].join('\n');

export function exampleTabs(models: readonly ExposedModel[]): ExampleTab[] {
  const tabs = models.slice(0, MAX_MODEL_TABS).map((m) => ({ query: modelExample(m) }));
  tabs.push({ query: CATALOG_EXAMPLE });
  tabs[0] = { query: `${HEADER}\n${tabs[0].query}` };
  return tabs;
}
