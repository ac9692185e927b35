/**
 * Reading a snapshot: the model_state rows and source readings that versions are computed from,
 * in a constant number of queries however many nodes are asked about:
 *
 * 1. model_state for every node asked (one query);
 * 2. trigger counters for every source asked (one query, in parallel with 1);
 * 3. one UNION ALL for the sources no trigger counts: `max(loaded_at_field)` or the `refresh_key`
 *    query, each as text (skipped when there are none).
 *
 * A loaded_at_field is an SQL expression inserted as written, as dbt does; a refresh_key is a
 * query of the project's author. Both come from the manifest, never from a request.
 */
import { MartqlError } from '../errors';
import type { Manifest } from '../graph/types';
import type { SourceTable } from '../project/types';
import type { StateStore } from '../state';
import { qualify, type Session } from '../warehouse';
import { refreshKeyOf, sourceTracking, type Snapshot, type SourceReading } from './versions';

/** Reads the snapshot of `ids` (nodes and sources; unknown ids are ignored). */
export async function readSnapshot(
  store: StateStore,
  warehouse: Session,
  manifest: Manifest,
  ids: Iterable<string>,
): Promise<Snapshot> {
  const nodeIds: string[] = [];
  const sources: SourceTable[] = [];
  for (const id of new Set(ids)) {
    if (manifest.nodes.has(id)) nodeIds.push(id);
    else {
      const source = manifest.sources.get(id);
      if (source) sources.push(source);
    }
  }
  const takenAt = Date.now();
  const [models, counters] = await Promise.all([
    nodeIds.length > 0 ? store.getModelState(nodeIds) : Promise.resolve(new Map()),
    sources.length > 0
      ? store.sourceVersions(sources.map((s) => ({ schema: s.schema, name: s.identifier })))
      : Promise.resolve([]),
  ]);

  const readings = new Map<string, SourceReading>();
  const probed: { source: SourceTable; tracking: 'loaded_at' | 'refresh_key' }[] = [];
  sources.forEach((source, i) => {
    const tracking = sourceTracking(source, counters[i].tracked);
    switch (tracking) {
      case 'trigger':
        readings.set(source.uniqueId, { tracking, value: counters[i].version });
        return;
      case 'untracked':
        readings.set(source.uniqueId, { tracking, value: null });
        return;
      case 'loaded_at':
      case 'refresh_key':
        probed.push({ source, tracking });
        return;
      default:
        throw new Error(`unreachable: ${String(tracking satisfies never)}`);
    }
  });
  if (probed.length > 0) {
    const values = await probeSources(warehouse, probed);
    probed.forEach(({ source, tracking }, i) =>
      readings.set(source.uniqueId, { tracking, value: values[i] }),
    );
  }
  return { takenAt, models, sources: readings };
}

/** The SQL of the UNION query reading each probed source's watermark or key, as text, in order. */
export function probeSql(probed: { source: SourceTable; tracking: 'loaded_at' | 'refresh_key' }[]): string {
  return probed
    .map(({ source, tracking }, i) => {
      const value =
        tracking === 'loaded_at'
          ? `(select (max(${source.loadedAtField}))::text from ${qualify(source.schema, source.identifier)})`
          : `(select k::text from (${stripSemicolon(refreshKeyOf(source)!)}) as k limit 1)`;
      return `select ${i} as i, ${value} as v`;
    })
    .join('\nunion all\n');
}

async function probeSources(
  warehouse: Session,
  probed: { source: SourceTable; tracking: 'loaded_at' | 'refresh_key' }[],
): Promise<(string | null)[]> {
  const sql = probeSql(probed);
  let rows: { i: number; v: string | null }[];
  try {
    rows = (await warehouse.query<{ i: number; v: string | null }>(sql)).rows;
  } catch (cause) {
    throw new MartqlError(
      'DATABASE',
      `Could not read the freshness of ${probed.map((p) => p.source.uniqueId).join(', ')}: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      {
        cause,
        hint: 'check the sources\u2019 loaded_at_field and refresh_key, or install change triggers',
        data: { sql },
      },
    );
  }
  const values: (string | null)[] = probed.map(() => null);
  for (const row of rows) values[Number(row.i)] = row.v;
  return values;
}

function stripSemicolon(sql: string): string {
  return sql.trim().replace(/;+\s*$/, '');
}
