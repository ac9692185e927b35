/**
 * The `incremental` materialization: decide (`plan.ts`) whether this run builds the table from
 * scratch or updates it, then either rebuild atomically (`table.ts`) or, in one transaction, stage
 * the new rows, reconcile the columns (`schema-change.ts`) and hand them to the configured strategy.
 * A failing run rolls back entirely: the table keeps its rows and its columns. Around the strategy,
 * `physical/` adds the partitions the new rows need, keeps the declared indexes and analyzes what
 * was written.
 */
import { MartqlError } from '../../errors';
import { afterIncrementalWrite, prepareIncrementalWrite, readPhysicalConfig } from '../../physical';
import { qualify } from '../../warehouse';
import { intermediateName } from '../names';
import { StatementLog } from '../statement-log';
import { fillFromSql, rebuildTable } from '../table';
import type { Materialization, MaterializeRequest, MaterializeResult } from '../types';
import { appendStrategy } from './append';
import { deleteInsertStrategy } from './delete-insert';
import { mergeStrategy } from './merge';
import { runMicrobatch } from './microbatch';
import { planIncremental, type IncrementalPlan } from './plan';
import { prepareTarget } from './prepare';
import { readIncrementalSettings, type IncrementalSettings } from './settings';
import { stageRows } from './stage';
import type { Strategy } from './strategy';

async function runIncremental(req: MaterializeRequest): Promise<MaterializeResult> {
  const settings = readIncrementalSettings(req.config, req.relation);
  const existing = await req.warehouse.getRelation(req.relation.schema, req.relation.identifier);
  const plan = planIncremental({
    existing: existing?.type ?? null,
    fullRefreshFlag: req.fullRefresh,
    fullRefreshConfig: settings.fullRefresh,
  });
  switch (settings.strategy) {
    case 'microbatch':
      return runMicrobatch(req, settings, plan);
    case 'append':
      return runWith(req, settings, plan, appendStrategy, 'append');
    case 'merge':
      return runWith(req, settings, plan, mergeStrategy, 'incremental');
    case 'delete+insert':
      return runWith(req, settings, plan, deleteInsertStrategy, 'incremental');
    default: {
      const never: never = settings.strategy;
      throw new MartqlError('INTERNAL', `unknown incremental strategy ${String(never)}`);
    }
  }
}

async function runWith(
  req: MaterializeRequest,
  settings: IncrementalSettings,
  plan: IncrementalPlan,
  strategy: Strategy,
  kind: 'append' | 'incremental',
): Promise<MaterializeResult> {
  if (plan.mode === 'full')
    return rebuildTable(req, 'full', fillFromSql(req.compile({ isIncremental: false })));
  const { schema, identifier } = req.relation;
  const sql = req.compile({ isIncremental: true });
  const serverVersionNum = await req.warehouse.serverVersionNum();
  const log = new StatementLog();
  const target = {
    physical: readPhysicalConfig(req.config, req.relation),
    table: { schema, name: identifier },
    model: req.relation,
  };
  const rows = await req.warehouse.transaction(async (tx) => {
    await log.hooks(tx, req.preHooks);
    const staged = await stageRows(tx, log, intermediateName(identifier, '__dbt_tmp'), sql);
    const { columns, targetColumns } = await prepareTarget(tx, log, req, settings, staged);
    const touched = await prepareIncrementalWrite(tx, log, target, staged);
    const written = await strategy({
      tx,
      log,
      target: qualify(schema, identifier),
      targetName: { schema, name: identifier },
      source: staged.relation,
      columns,
      targetColumns,
      settings,
      serverVersionNum,
    });
    await afterIncrementalWrite(tx, log, target, touched, written);
    await log.hooks(tx, req.postHooks);
    return written;
  });
  return { kind, rowsAffected: rows, relationType: 'table', statements: log.records };
}

export const incrementalMaterialization: Materialization = { name: 'incremental', run: runIncremental };
