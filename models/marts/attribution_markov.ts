/**
 * Data-driven attribution: first-order Markov-chain removal effects per channel, computed exactly
 * (src/analytics/markov) from the journeys `attribution_paths` aggregates in SQL.
 */
import { markovAttribution } from '../../src/analytics/markov';
import { defineModel } from '../../src/tsmodel';

interface PathRow {
  path: string;
  conversions: number | string;
  nulls: number | string;
  conversion_value: number | string | null;
}

export default defineModel({
  refs: ['attribution_paths'],
  columns: {
    channel: 'text',
    removal_effect: 'double precision',
    conversions: 'double precision',
    attributed_value: 'numeric(18,2)',
    share: 'double precision',
  },
  async run(ctx) {
    const rows = await ctx.query<PathRow>(
      `select path, conversions, nulls, conversion_value from ${ctx.ref('attribution_paths')} order by path`,
    );
    const paths = rows.map((r) => ({
      path: r.path.split(' > '),
      conversions: Number(r.conversions),
      nulls: Number(r.nulls),
      value: Number(r.conversion_value ?? 0),
    }));
    if (paths.every((p) => p.conversions === 0)) return [];
    const result = markovAttribution(paths);
    return result.attributed.map((a) => ({
      channel: a.channel,
      removal_effect: result.removalEffects[a.channel] ?? 0,
      conversions: a.conversions,
      attributed_value: Math.round(a.value * 100) / 100,
      share: a.share,
    }));
  },
});
