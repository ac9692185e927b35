/**
 * Input validation and normalisation for path-based attribution.
 *
 * The SQL side aggregates customer journeys into distinct channel paths with counts; every model in
 * this folder (Markov, heuristic, Shapley) starts from the same normalised form so they agree on which
 * channels exist, how repeats are treated and what the totals are. Channels get dense indices in
 * code-unit order (not locale order) so results never depend on the machine's locale or on the order
 * the rows arrived in.
 */

/** One aggregated path: `conversions` journeys took it and converted, `nulls` took it and did not. */
export interface AttributionPath {
  path: readonly string[];
  conversions: number;
  nulls: number;
  /** Total conversion value of the converting journeys on this path (0 when absent). */
  value?: number;
}

export interface PathOptions {
  /**
   * Collapse consecutive repeats of a channel into one touch (default true), as the ChannelAttribution
   * package does: a first-order chain otherwise spends probability on self-loops that carry no
   * information about which channel leads where.
   */
  collapseRepeats?: boolean;
}

/** A path after validation: channels as indices into `PathSet.channels`. */
export interface NormalizedPath {
  channels: number[];
  conversions: number;
  nulls: number;
  value: number;
}

export interface PathSet {
  /** Distinct channel names, sorted by code unit. */
  channels: string[];
  /** Paths with at least one journey (conversions + nulls > 0); empty-weight rows carry no information. */
  paths: NormalizedPath[];
  totalConversions: number;
  totalValue: number;
}

/** Raised for input the models cannot give a meaning to (negative counts, empty paths, ...). */
export class AttributionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttributionInputError';
  }
}

/** Names the transition list uses for the non-channel states; a channel may not take them. */
export const START_STATE = '(start)';
export const CONVERSION_STATE = '(conversion)';
export const NULL_STATE = '(null)';
const RESERVED = new Set([START_STATE, CONVERSION_STATE, NULL_STATE]);

function checkCount(row: number, field: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) {
    throw new AttributionInputError(
      `path row ${row}: ${field} must be a finite number >= 0, got ${String(x)}`,
    );
  }
  return x;
}

/** Drop consecutive duplicates: a > a > b > a becomes a > b > a. */
export function collapseRepeats<T>(path: readonly T[]): T[] {
  const out: T[] = [];
  for (const c of path) if (out.length === 0 || out[out.length - 1] !== c) out.push(c);
  return out;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Validate and index the paths. Empty paths are rejected rather than silently dropped: a journey with
 * no touch cannot be credited to any channel, and quietly spreading its conversions over the channels
 * (which is what including it in the totals would do) would overstate every channel.
 */
export function preparePaths(input: readonly AttributionPath[], options: PathOptions = {}): PathSet {
  const collapse = options.collapseRepeats ?? true;
  const names = new Set<string>();
  const rows: { path: string[]; conversions: number; nulls: number; value: number }[] = [];
  let totalConversions = 0;
  let totalValue = 0;
  input.forEach((p, i) => {
    if (!Array.isArray(p.path) || p.path.length === 0) {
      throw new AttributionInputError(`path row ${i}: path must be a non-empty array of channel names`);
    }
    for (const c of p.path) {
      if (typeof c !== 'string' || c === '') {
        throw new AttributionInputError(`path row ${i}: channel names must be non-empty strings`);
      }
      if (RESERVED.has(c)) throw new AttributionInputError(`path row ${i}: '${c}' is a reserved state name`);
    }
    const conversions = checkCount(i, 'conversions', p.conversions);
    const nulls = checkCount(i, 'nulls', p.nulls);
    const value = p.value ?? 0;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new AttributionInputError(`path row ${i}: value must be a finite number, got ${String(value)}`);
    }
    if (conversions === 0 && value !== 0) {
      // Value with no conversion to carry it would be credited to channels by no model consistently.
      throw new AttributionInputError(`path row ${i}: value ${value} on a path with no conversions`);
    }
    totalConversions += conversions;
    totalValue += value;
    if (conversions + nulls === 0) return;
    const path = collapse ? collapseRepeats(p.path) : [...p.path];
    for (const c of path) names.add(c);
    rows.push({ path, conversions, nulls, value });
  });
  const channels = [...names].sort(byCodeUnit);
  const index = new Map(channels.map((c, i) => [c, i]));
  return {
    channels,
    paths: rows.map((r) => ({
      channels: r.path.map((c) => index.get(c)!),
      conversions: r.conversions,
      nulls: r.nulls,
      value: r.value,
    })),
    totalConversions,
    totalValue,
  };
}
