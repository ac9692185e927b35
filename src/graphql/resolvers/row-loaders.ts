/**
 * Rows of an exposed model by one unique column, batched per request: every relationship field
 * and `<model>ByKey` in a request that asks for rows of the same model by the same column share
 * one DataLoader, so a level of 500 parent rows costs one `buildByKey` statement (and one
 * freshness check of the target). Loaders are per cache mode too: a relationship field checks
 * with the target's default mode, `<model>ByKey` with the mode it was asked for, and one must
 * not decide for the other (a STALE_WHILE_REVALIDATE lookup never waits for a refresh). Keys
 * are compared as strings, so
 * a bigint read as text and the same number typed by a client are one key.
 */
import DataLoader from 'dataloader';
import type { CacheMode } from '../../freshness';
import { buildByKey, rowsPerKey } from '../query';
import type { ExposedModel } from '../schema';
import type { ApiContext } from './context';
import { ensureFresh } from './refresh';

export type Row = Record<string, unknown>;
export type RowLoader = DataLoader<unknown, Row | null, string>;

export class RowLoaders {
  private readonly loaders = new Map<string, RowLoader>();

  /** The request's loader of `model` rows by `column` (a declared unique column), checked with `mode`. */
  of(ctx: ApiContext, model: ExposedModel, column: string, mode: CacheMode): RowLoader {
    const id = `${model.uniqueId}\u0000${column}\u0000${mode}`;
    let loader = this.loaders.get(id);
    if (!loader) {
      loader = new DataLoader<unknown, Row | null, string>(
        (keys) => loadRows(ctx, model, column, mode, keys),
        {
          cacheKeyFn: (key) => String(key),
          maxBatchSize: 5000,
        },
      );
      this.loaders.set(id, loader);
    }
    return loader;
  }
}

async function loadRows(
  ctx: ApiContext,
  model: ExposedModel,
  column: string,
  mode: CacheMode,
  keys: readonly unknown[],
): Promise<(Row | null)[]> {
  const outcome = await ensureFresh(ctx, model, mode);
  ctx.services.log({
    event: 'model_read',
    model: model.uniqueId,
    freshness: outcome.freshness,
    keys: keys.length,
  });
  const query = buildByKey(
    model.query,
    [column],
    keys.map((k) => [k]),
  );
  const { rows } = await ctx.services.warehouse.query<Row>(query.sql, query.params);
  return rowsPerKey(rows, keys.length).map((matches) => matches[0] ?? null);
}
