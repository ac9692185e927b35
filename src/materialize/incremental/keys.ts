/**
 * Matching rows on `unique_key`, and why MartQL offers a null-safe variant.
 *
 * dbt compares keys with `=`, and in SQL `NULL = NULL` is not true. A row whose key (or one column of
 * a composite key) is NULL therefore never matches its earlier version: merge inserts it again and
 * delete+insert never deletes the old copy. Each run adds another copy, so the table no longer holds
 * one row per key, the stale versions are never replaced (the update is lost among them: which copy
 * a "latest row per key" query returns is arbitrary), and sums double count. dbt users typically
 * learn this from a failing `unique` test or drop NULL-keyed rows to avoid it, losing them. MartQL
 * keeps dbt's behaviour by default (a project moved from dbt must build the same tables) and offers
 * `null_safe_unique_key: true`, which
 * matches with `IS NOT DISTINCT FROM` so NULL keys match each other. The cost: Postgres cannot use a
 * btree index for `IS NOT DISTINCT FROM`, so matching scans instead of probing an index.
 */
import { quoteIdent } from '../../warehouse';

export const DEST = 'DBT_INTERNAL_DEST';
export const SOURCE = 'DBT_INTERNAL_SOURCE';

/** `DEST."k" = SOURCE."k" and ...` (or `is not distinct from`), with the incremental predicates. */
export function keyMatch(keys: string[], nullSafe: boolean, predicates: string[] = []): string {
  const op = nullSafe ? 'is not distinct from' : '=';
  const parts = keys.map((k) => `${DEST}.${quoteIdent(k)} ${op} ${SOURCE}.${quoteIdent(k)}`);
  return [...parts, ...predicates.map((p) => `(${p})`)].join(' and ');
}

export function columnList(columns: string[], alias?: string): string {
  return columns.map((c) => (alias ? `${alias}.${quoteIdent(c)}` : quoteIdent(c))).join(', ');
}
