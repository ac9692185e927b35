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
const FIELDS_PER_LINE = 3;

function operationName(model: ExposedModel): string {
  return model.typeName;
}

/** Field names in lines of a few, so a wide mart's example stays inside the editor pane. */
function fieldLines(fields: string[], indent: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < fields.length; i += FIELDS_PER_LINE)
    lines.push(indent + fields.slice(i, i + FIELDS_PER_LINE).join(' '));
  return lines;
}

export function modelExample(model: ExposedModel): string {
  const columns = model.columns.slice(0, MAX_COLUMNS).map((c) => c.field);
  const more = model.columns.length - columns.length;
  return [
    `# ${model.name}: ${EXAMPLE_LIMIT} rows and how fresh they are.`,
    '# A stale model is refreshed before it answers',
    '# (meta.freshness REFRESHED, meta.refresh.kind says how).',
    ...(more > 0 ? [`# ${more} more columns: Ctrl-Space inside rows { }.`] : []),
    `query ${operationName(model)} {`,
    `  ${model.fieldName}(limit: ${EXAMPLE_LIMIT}) {`,
    '    rows {',
    ...fieldLines(columns, '      '),
    '    }',
    '    totalCount',
    '    meta {',
    '      freshness lastBuiltAt',
    '      refresh { kind durationMs refreshedModels }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

const CATALOG_EXAMPLE = [
  '# Every model of the project, and the latest runs.',
  'query Catalog {',
  '  models { name queryField materialization lastBuiltAt }',
  '  runHistory(limit: 10) { model kind status trigger startedAt }',
  '}',
  '',
].join('\n');

const HEADER = [
  '# MartQL playground: a query field per exposed model.',
  '# Run a tab with Ctrl-Enter. When the server asks for',
  '# a token, put it under Headers:',
  '#   {"Authorization": "Bearer <token>"}',
  '',
].join('\n');

export function exampleTabs(models: readonly ExposedModel[]): ExampleTab[] {
  const tabs = models.slice(0, MAX_MODEL_TABS).map((m) => ({ query: modelExample(m) }));
  tabs.push({ query: CATALOG_EXAMPLE });
  tabs[0] = { query: `${HEADER}\n${tabs[0].query}` };
  return tabs;
}
