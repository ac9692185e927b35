/**
 * A model read through the result cache: the stored answer when the same query was answered at the
 * model version this request reads, else `read()` (stored for the next request). Also times the
 * read and reports it on the event stream (`model_read`), which metrics count. Requests that miss
 * together share one read (ResultCache.share).
 */
import type { ExposedModel } from '../schema';
import type { ApiContext } from './context';
import type { FreshnessOutcome } from './refresh';
import type { CachedAnswer } from './result-cache';

export interface TimedAnswer {
  answer: CachedAnswer;
  cached: boolean;
  queryMs: number;
}

export async function cachedRead(
  ctx: ApiContext,
  model: ExposedModel,
  outcome: FreshnessOutcome,
  key: string,
  read: () => Promise<CachedAnswer>,
): Promise<TimedAnswer> {
  const { results } = ctx.services;
  const version = outcome.version ?? null;
  const generation = results.generation;
  const started = performance.now();
  let answer = version === null ? undefined : results.get(key, version);
  const cached = answer !== undefined;
  if (!answer) {
    if (version === null) answer = await read();
    else {
      const shared = results.share(key, version, read);
      answer = await shared.answer;
      if (!shared.joined) results.set(key, version, answer, generation);
    }
  }
  const queryMs = performance.now() - started;
  ctx.services.log({
    event: 'model_read',
    model: model.uniqueId,
    freshness: outcome.freshness,
    ms: queryMs,
    cached,
  });
  return { answer, cached, queryMs };
}
