/**
 * The common output row of every attribution model, so Markov, heuristic and Shapley results can be
 * stacked into one comparison table.
 */

export interface AttributionRow {
  channel: string;
  /** Conversions credited to the channel. */
  conversions: number;
  /** Conversion value credited to the channel. */
  value: number;
  /** Fraction of all credited conversions (sums to 1 over channels unless nothing converted). */
  share: number;
}

/**
 * Split `totalConversions` and `totalValue` over channels in proportion to `weights`. Zero total
 * weight (nothing converted) yields all-zero rows instead of NaN.
 */
export function proportionalRows(
  channels: readonly string[],
  weights: readonly number[],
  totalConversions: number,
  totalValue: number,
): AttributionRow[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  return channels.map((channel, i) => {
    const share = sum > 0 ? weights[i] / sum : 0;
    return { channel, conversions: totalConversions * share, value: totalValue * share, share };
  });
}

/** Rows from credits already in conversion units; share is relative to the credited total. */
export function creditRows(
  channels: readonly string[],
  conversions: readonly number[],
  values: readonly number[],
): AttributionRow[] {
  const total = conversions.reduce((a, b) => a + b, 0);
  return channels.map((channel, i) => ({
    channel,
    conversions: conversions[i],
    value: values[i],
    share: total > 0 ? conversions[i] / total : 0,
  }));
}
