/**
 * `model_state`: one row per node saying what is in the warehouse now, so freshness can decide
 * staleness without rebuilding: which SQL and config built it, when, from which upstream versions,
 * and how far an incremental model has loaded (its watermark).
 *
 * A failed or skipped build leaves the previous relation in place (rebuilds are atomic), so it
 * updates only the `last_*` columns and keeps the facts of the last successful build. A build that
 * committed before its node failed (a `transaction: false` post-hook) records its facts and the error.
 */
import type { Session } from '../warehouse';
import { iso, json, Params, relationFrom } from './sql';
import type { ModelState, ModelStateUpdate } from './types';

/** One upsert, whatever the outcome. */
export async function upsertModelState(session: Session, s: string, u: ModelStateUpdate): Promise<void> {
  const p = new Params();
  switch (u.status) {
    case 'success':
      await session.query(
        `insert into ${s}.model_state as m (
          unique_id, resource_type, relation_schema, relation_name, materialization, sql_hash, config_hash,
          built_at, upstream_versions, watermark, row_count, last_duration_ms, last_status,
          last_invocation_id, last_error_message, last_error_code, updated_at
        ) values (
          ${p.add(u.uniqueId)}, ${p.add(u.resourceType)}, ${p.add(u.relation?.schema)}, ${p.add(u.relation?.name)},
          ${p.add(u.materialization)}, ${p.add(u.sqlHash)}, ${p.add(u.configHash)},
          ${p.add(u.builtAt, 'timestamptz')}, ${p.add(json(u.upstreamVersions), 'jsonb')},
          ${p.add(json(u.watermark), 'jsonb')}, ${p.add(u.rowCount, 'bigint')}, ${p.add(u.durationMs, 'float8')},
          ${p.add(u.error ? 'error' : 'success')}, ${p.add(u.invocationId)}, ${p.add(u.error?.message)},
          ${p.add(u.error?.code)}, clock_timestamp()
        )
        on conflict (unique_id) do update set
          resource_type = excluded.resource_type, relation_schema = excluded.relation_schema,
          relation_name = excluded.relation_name, materialization = excluded.materialization,
          sql_hash = excluded.sql_hash, config_hash = excluded.config_hash, built_at = excluded.built_at,
          upstream_versions = excluded.upstream_versions, watermark = excluded.watermark,
          row_count = excluded.row_count, last_duration_ms = excluded.last_duration_ms,
          last_status = excluded.last_status, last_invocation_id = excluded.last_invocation_id,
          last_error_message = excluded.last_error_message, last_error_code = excluded.last_error_code,
          updated_at = excluded.updated_at`,
        p.values,
      );
      return;
    case 'error':
    case 'skipped':
      // A skipped node did not run, so its duration says nothing; an errored one did run.
      await session.query(
        `insert into ${s}.model_state as m (
          unique_id, resource_type, last_duration_ms, last_status, last_invocation_id,
          last_error_message, last_error_code, updated_at
        ) values (
          ${p.add(u.uniqueId)}, ${p.add(u.resourceType)}, ${p.add(u.status === 'error' ? u.durationMs : null, 'float8')},
          ${p.add(u.status)}, ${p.add(u.invocationId)}, ${p.add(u.error?.message)}, ${p.add(u.error?.code)},
          clock_timestamp()
        )
        on conflict (unique_id) do update set
          last_duration_ms = coalesce(excluded.last_duration_ms, m.last_duration_ms),
          last_status = excluded.last_status, last_invocation_id = excluded.last_invocation_id,
          last_error_message = excluded.last_error_message, last_error_code = excluded.last_error_code,
          updated_at = excluded.updated_at`,
        p.values,
      );
      return;
    default:
      throw unreachable(u);
  }
}

function unreachable(value: never): Error {
  return new Error(`unreachable: ${JSON.stringify(value)}`);
}

interface ModelStateSqlRow {
  unique_id: string;
  resource_type: string;
  relation_schema: string | null;
  relation_name: string | null;
  materialization: string | null;
  sql_hash: string | null;
  config_hash: string | null;
  built_at: string | null;
  upstream_versions: Record<string, string | number>;
  watermark: unknown;
  row_count: number | null;
  last_duration_ms: number | null;
  last_status: ModelState['lastStatus'];
  last_invocation_id: string;
  last_error_message: string | null;
  last_error_code: string | null;
  updated_at: string;
}

/** The state of the given nodes (all nodes when `ids` is undefined), keyed by unique_id; absent = never run. */
export async function selectModelState(
  session: Session,
  s: string,
  ids: readonly string[] | undefined,
): Promise<Map<string, ModelState>> {
  if (ids !== undefined && ids.length === 0) return new Map();
  const p = new Params();
  const { rows } = await session.query<ModelStateSqlRow>(
    `select unique_id, resource_type, relation_schema, relation_name, materialization, sql_hash,
      config_hash, ${iso('built_at')} as built_at, upstream_versions, watermark, row_count,
      last_duration_ms, last_status, last_invocation_id, last_error_message, last_error_code,
      ${iso('updated_at')} as updated_at
    from ${s}.model_state
    ${ids !== undefined ? `where unique_id in (select jsonb_array_elements_text(${p.add(json(ids), 'jsonb')}))` : ''}
    order by unique_id collate "C"`,
    p.values,
  );
  return new Map(rows.map((r) => [r.unique_id, toModelState(r)]));
}

function toModelState(r: ModelStateSqlRow): ModelState {
  return {
    uniqueId: r.unique_id,
    resourceType: r.resource_type,
    relation: relationFrom(r.relation_schema, r.relation_name),
    materialization: r.materialization,
    sqlHash: r.sql_hash,
    configHash: r.config_hash,
    builtAt: r.built_at,
    upstreamVersions: r.upstream_versions,
    watermark: r.watermark,
    rowCount: r.row_count,
    lastDurationMs: r.last_duration_ms,
    lastStatus: r.last_status,
    lastInvocationId: r.last_invocation_id,
    lastError:
      r.last_error_message !== null ? { message: r.last_error_message, code: r.last_error_code } : null,
    updatedAt: r.updated_at,
  };
}
