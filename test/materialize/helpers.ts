/**
 * Helpers for materialization tests: a request builder with plain-SQL models (no Jinja: `compile`
 * is a function), and small readers for the resulting relations.
 */
import type { MartqlError } from '../../src/errors';
import type { MaterializeRequest, MaterializeResult } from '../../src/materialize';
import { materializationFor } from '../../src/materialize';
import type { ColumnProperties, NodeConfig } from '../../src/project/types';
import { qualify, type Warehouse } from '../../src/warehouse';

export type Compile = MaterializeRequest['compile'];

export interface ModelSpec {
  name: string;
  materialized: string;
  sql: string | Compile;
  config?: Record<string, unknown>;
  columns?: Partial<ColumnProperties>[];
  fullRefresh?: boolean;
  preHooks?: string[];
  postHooks?: string[];
  eventTimeStart?: Date;
  eventTimeEnd?: Date;
  now?: Date;
}

export function column(
  name: string,
  dataType?: string,
  constraints: Record<string, unknown>[] = [],
): ColumnProperties {
  return { name, description: '', dataType, constraints, tests: [], meta: {}, tags: [] };
}

export function request(wh: Warehouse, schema: string, spec: ModelSpec): MaterializeRequest {
  const config: NodeConfig = {
    enabled: true,
    materialized: spec.materialized,
    tags: [],
    meta: {},
    pre_hook: [],
    post_hook: [],
    ...spec.config,
  };
  const sql = spec.sql;
  return {
    warehouse: wh,
    relation: { schema, identifier: spec.name },
    config,
    compile: typeof sql === 'string' ? () => sql : sql,
    fullRefresh: spec.fullRefresh ?? false,
    columns: (spec.columns ?? []).map((c) => ({ ...column(c.name!), ...c })),
    preHooks: spec.preHooks ?? [],
    postHooks: spec.postHooks ?? [],
    eventTimeStart: spec.eventTimeStart,
    eventTimeEnd: spec.eventTimeEnd,
    now: spec.now,
  };
}

export function build(wh: Warehouse, schema: string, spec: ModelSpec): Promise<MaterializeResult> {
  return materializationFor(spec.materialized).run(request(wh, schema, spec));
}

/** Rows as sorted JSON strings: a multiset that compares with toEqual. */
export async function multiset(
  wh: Warehouse,
  schema: string,
  name: string,
  columns = '*',
): Promise<string[]> {
  const { rows } = await wh.query(`select ${columns} from ${qualify(schema, name)}`);
  return rows.map((r) => JSON.stringify(r)).sort();
}

export async function relations(wh: Warehouse, schema: string): Promise<string[]> {
  return (await wh.listRelations(schema)).map((r) => `${r.name}:${r.type}`);
}

export async function count(wh: Warehouse, schema: string, name: string): Promise<number> {
  return Number(
    (await wh.query<{ n: number }>(`select count(*)::int as n from ${qualify(schema, name)}`)).rows[0].n,
  );
}

export { prng as rng } from '../helpers/prng';

/** The error a build fails with; fails the test when the build succeeds. */
export async function failure(promise: Promise<unknown>): Promise<MartqlError> {
  try {
    await promise;
  } catch (err) {
    return err as MartqlError;
  }
  throw new Error('expected the build to fail');
}
