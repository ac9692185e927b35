/**
 * The startup check for missing indexes: every column a client can filter or order an exposed
 * model by (all but json columns) that has no index on a table of at least `minRows` rows is
 * logged as a `missing_index` warning naming the model and column, with the config that fixes it.
 * It runs after the server listens and never fails startup: a check that errors is logged.
 */
import type { ApiServices } from '../graphql/resolvers';
import { describeMissingIndex, missingIndexWarnings } from '../physical';

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
    for (const w of warnings) {
      services.log({ event: 'missing_index', level: 'warn', ...w, message: describeMissingIndex(w) });
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
