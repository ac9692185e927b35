/**
 * The startup check for missing indexes: every column a client can filter or order an exposed
 * model by (all but json columns) that leads no index, on a table of at least `minRows` rows, is
 * reported in a `missing_index` warning per model naming its columns and the config that fixes it.
 * It runs after the server listens and never fails startup: a check that errors is logged.
 */
import type { ApiServices } from '../graphql/resolvers';
import { describeMissingIndex, missingIndexWarnings, type MissingIndex } from '../physical';

function describeMissingIndexes(model: string, list: MissingIndex[]): string {
  const columns = list.map((w) => w.column);
  return (
    `${model}: ${columns.length} columns can be filtered or ordered by through GraphQL but lead no index ` +
    `(~${list[0].rows.toLocaleString('en-US')} rows): ${columns.join(', ')}; declare the ones clients use in the ` +
    `model's indexes config, e.g. indexes: [{columns: ['${columns[0]}']}]`
  );
}

/** Tables below this many rows are read fast enough without an index. */
export const DEFAULT_INDEX_WARNING_ROWS = 10_000;

export async function logMissingIndexes(services: ApiServices, minRows: number): Promise<number> {
  try {
    const warnings = await missingIndexWarnings(
      services.warehouse,
      services.models.map((m) => ({
        name: m.name,
        relation: m.query.relation,
        columns: m.columns.filter((c) => c.kind !== 'json').map((c) => c.name),
      })),
      { minRows },
    );
    // One line per model, naming its unindexed columns: a mart with a dozen filterable columns
    // should not bury the rest of the startup log.
    const byModel = new Map<string, typeof warnings>();
    for (const w of warnings) byModel.set(w.model, [...(byModel.get(w.model) ?? []), w]);
    for (const [model, list] of byModel) {
      services.log({
        event: 'missing_index',
        level: 'warn',
        model,
        columns: list.map((w) => w.column),
        rows: list[0].rows,
        message: list.length === 1 ? describeMissingIndex(list[0]) : describeMissingIndexes(model, list),
      });
    }
    return warnings.length;
  } catch (err) {
    services.log({
      event: 'missing_index_check_failed',
      error: err instanceof Error ? err.message : String(err),
    });
    return 0;
  }
}
