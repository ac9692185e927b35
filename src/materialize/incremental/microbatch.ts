/**
 * `microbatch`: the model is processed one time slice (`batch_size`) at a time; the model's SQL is
 * compiled once per batch (`compile({isIncremental, batch})`) and filters its inputs to the batch.
 *
 * An incremental run replaces each batch's time range of the table, in its own transaction: delete
 * the rows with `batch.start <= event_time < batch.end`, insert the batch's rows. A batch is thus
 * atomic and idempotent, and only the batches asked for are touched (`--event-time-start/end`, else
 * the current batch and `lookback` before it). As in dbt, batches that committed stay committed when
 * a later one fails; the error names the failed batch so it can be retried alone. Pre-hooks run in
 * the first batch's transaction, post-hooks in the last one's.
 *
 * The first build and a full refresh build every batch from `begin` into the intermediate table and
 * swap it in at once (`table.ts`), so the model is never visible half-built.
 *
 * When the table is partitioned on `event_time` with the batch size as granularity, each batch is
 * one partition and is replaced whole instead (a new table attached in place of the old partition,
 * see `physical/replace-partition.ts`): no dead rows, fresh statistics, nothing else touched.
 */
import { MartqlError } from '../../errors';
import {
  afterIncrementalWrite,
  batchIsOnePartition,
  prepareIncrementalWrite,
  readPhysicalConfig,
  replacePartition,
  type IncrementalTarget,
} from '../../physical';
import { qualify, quoteIdent, type Column, type Session } from '../../warehouse';
import { intermediateName } from '../names';
import { selectable } from '../relation-sql';
import { StatementLog } from '../statement-log';
import { rebuildTable } from '../table';
import type { BatchRecord, MaterializeRequest, MaterializeResult } from '../types';
import { batchWindow, planBatches, type Batch } from './batches';
import type { IncrementalPlan } from './plan';
import { prepareTarget } from './prepare';
import type { IncrementalSettings, MicrobatchSettings } from './settings';
import { stageRows, type StagedRows } from './stage';
import { columnList } from './keys';

function record(batch: Batch, rows: number): BatchRecord {
  return { start: batch.start.toISOString(), end: batch.end.toISOString(), rows };
}

export async function runMicrobatch(
  req: MaterializeRequest,
  settings: IncrementalSettings,
  plan: IncrementalPlan,
): Promise<MaterializeResult> {
  const mb = settings.microbatch as MicrobatchSettings;
  const model = `${req.relation.schema}.${req.relation.identifier}`;
  const window = batchWindow({
    mode: plan.mode,
    settings: mb,
    now: req.now ?? new Date(),
    eventTimeStart: req.eventTimeStart,
    eventTimeEnd: req.eventTimeEnd,
    model,
  });
  const batches = planBatches(mb.batchSize, window.start, window.end);
  return plan.mode === 'full' ? fullBuild(req, batches) : incrementalRun(req, settings, batches);
}

async function fullBuild(req: MaterializeRequest, batches: Batch[]): Promise<MaterializeResult> {
  const records: BatchRecord[] = [];
  const log = new StatementLog();
  return rebuildTable(
    req,
    'full',
    async (tx, log, intermediate) => {
      records.length = 0;
      if (batches.length === 0) {
        // Nothing to process yet: create the table with the model's columns and no rows.
        const sql = selectable(
          req.compile({ isIncremental: false, batch: { start: new Date(0), end: new Date(0) } }),
        );
        await log.query(
          tx,
          `create table ${intermediate} as select * from (\n${sql}\n) as model with no data`,
        );
        return 0;
      }
      let total = 0;
      for (const [i, batch] of batches.entries()) {
        const sql = selectable(req.compile({ isIncremental: false, batch }));
        const statement =
          i === 0
            ? `create table ${intermediate} as ${sql}\n`
            : `insert into ${intermediate} select * from (\n${sql}\n) as model`;
        const rows = (await log.query(tx, statement)).rowCount;
        records.push(record(batch, rows));
        total += rows;
      }
      return total;
    },
    log,
    records,
  );
}

async function incrementalRun(
  req: MaterializeRequest,
  settings: IncrementalSettings,
  batches: Batch[],
): Promise<MaterializeResult> {
  const mb = settings.microbatch as MicrobatchSettings;
  const log = new StatementLog();
  const records: BatchRecord[] = [];
  const { schema, identifier } = req.relation;
  const tmpName = intermediateName(identifier, '__dbt_tmp');
  const physical = readPhysicalConfig(req.config, req.relation);
  const physicalTarget: IncrementalTarget = {
    physical,
    table: { schema, name: identifier },
    model: req.relation,
  };
  if (batches.length === 0) {
    await req.warehouse.transaction(async (tx) => {
      await log.hooks(tx, req.preHooks);
      await log.hooks(tx, req.postHooks);
    });
  }
  for (const [i, batch] of batches.entries()) {
    try {
      const rows = await req.warehouse.transaction(async (tx) => {
        if (i === 0) await log.hooks(tx, req.preHooks);
        const staged = await stageRows(tx, log, tmpName, req.compile({ isIncremental: true, batch }));
        const { columns, targetColumns } = await prepareTarget(tx, log, req, settings, staged);
        const write = { physicalTarget, mb, batch, staged, columns };
        const inserted =
          (await replaceBatchPartition(tx, log, { ...write, targetColumns })) ??
          (await replaceBatchRows(tx, log, write));
        if (i === batches.length - 1) await log.hooks(tx, req.postHooks);
        return inserted;
      });
      records.push(record(batch, rows));
    } catch (err) {
      const cause = err instanceof MartqlError ? err : undefined;
      throw new MartqlError(
        cause?.code ?? 'DATABASE',
        `${schema}.${identifier}: batch ${batch.start.toISOString()} .. ${batch.end.toISOString()} failed ` +
          `(${records.length} of ${batches.length} batches committed): ${(err as Error).message}`,
        {
          cause: err,
          hint: cause?.hint ?? 'rerun with --event-time-start/--event-time-end covering the failed batch',
          data: { ...(cause?.data ?? {}), failedBatch: record(batch, 0), completedBatches: [...records] },
        },
      );
    }
  }
  return {
    kind: 'incremental',
    rowsAffected: records.reduce((sum, b) => sum + b.rows, 0),
    relationType: 'table',
    statements: log.records,
    batches: records,
  };
}

interface BatchWrite {
  physicalTarget: IncrementalTarget;
  mb: MicrobatchSettings;
  batch: Batch;
  staged: StagedRows;
  /** The columns written, in the table's order. */
  columns: string[];
}

/**
 * A batch that is exactly one partition of the table (`partition_by` on `event_time`, granularity
 * equal to `batch_size`) replaces that partition atomically (`physical/replace-partition.ts`).
 * Null when the batch is not one partition, or some of its rows fall outside it.
 */
async function replaceBatchPartition(
  tx: Session,
  log: StatementLog,
  args: BatchWrite & { targetColumns: Column[] },
): Promise<number | null> {
  const { physicalTarget, mb, staged } = args;
  const { physical, table, model } = physicalTarget;
  const spec = physical.partition;
  if (spec?.kind !== 'range' || !batchIsOnePartition(spec, mb)) return null;
  await prepareIncrementalWrite(tx, log, physicalTarget, staged, { createPartitions: false });
  const replaced = await replacePartition(tx, log, {
    table,
    model,
    spec,
    from: args.batch.start,
    source: staged.relation,
    tableColumns: args.targetColumns,
    columns: args.columns,
    indexes: physical.indexes,
    analyze: physical.analyze,
  });
  return replaced?.rows ?? null;
}

/** A batch's rows replaced row by row: delete the batch's time range, insert the new rows. */
async function replaceBatchRows(tx: Session, log: StatementLog, args: BatchWrite): Promise<number> {
  const { physicalTarget, mb, batch, staged } = args;
  const touched = await prepareIncrementalWrite(tx, log, physicalTarget, staged);
  const target = qualify(physicalTarget.table.schema, physicalTarget.table.name);
  const eventTime = quoteIdent(mb.eventTime);
  await log.query(tx, `delete from ${target} where ${eventTime} >= $1 and ${eventTime} < $2`, [
    batch.start,
    batch.end,
  ]);
  const cols = columnList(args.columns);
  const inserted = (
    await log.query(tx, `insert into ${target} (${cols}) select ${cols} from ${staged.relation}`)
  ).rowCount;
  await afterIncrementalWrite(tx, log, physicalTarget, touched, inserted);
  return inserted;
}
