/**
 * Loads a CSV seed into its table, atomically and in about one read of the file.
 *
 * Types come from every value, but waiting for a full first pass before loading would leave
 * Postgres idle for that long. So the kinds are first guessed from the file's first chunks
 * (`probeSeed`; for a small seed that is the whole file and the guess is final), the load starts
 * with them, and the same pass that feeds COPY (`LoadPass`) checks every later value. If the full
 * file disagrees with the guess (a later value widens a column, or does not fit it and COPY fails),
 * the transaction rolls back and the load runs again with the types now known. Nothing is visible
 * before the final commit, and a malformed record fails the load wherever it is.
 *
 * Inside one transaction:
 *  - no relation yet: create the table and COPY into it ('create');
 *  - a table with the same columns and types (compared as Postgres spells them, by creating the
 *    staging table and reading both back) and no full refresh: TRUNCATE and COPY into the table
 *    itself, as dbt truncates and inserts, so views on it keep working ('truncate-insert');
 *  - otherwise: COPY into a staging table, drop the old relation (CASCADE, like dbt's drop) and
 *    rename the staging table into place ('recreate').
 * Any failure rolls the transaction back: the previous table, its rows and its dependents are as
 * they were, and the staging table is gone. Readers of the old table wait (TRUNCATE and DROP take an
 * exclusive lock) rather than ever seeing it empty or half loaded.
 */
import { randomBytes } from 'node:crypto';
import { MartqlError } from '../errors';
import {
  type Column,
  ddlKeyword,
  qualify,
  quoteIdent,
  type Session,
  type TableName,
  type Warehouse,
} from '../warehouse';
import { StatementLog } from '../materialize/statement-log';
import type { BuildHook } from '../materialize/types';
import { explainCopyError } from './copy-error';
import { delimiterByte } from './csv-scanner';
import type { SeedColumn } from './infer-types';
import { LoadPass } from './load-pass';
import { probeSeed } from './scan-seed';
import { columnTypeLookup, seedColumns } from './seed-columns';
import { type CsvInput, SeedSource } from './seed-source';
import { type Kind, kindType } from './value-kind';

export interface SeedLoadRequest {
  warehouse: Warehouse;
  relation: { schema: string; identifier: string };
  /** Display path for messages, e.g. seeds/raw_orders.csv */
  path: string;
  /** The CSV as text, or a file path to stream (large seeds). */
  csv: CsvInput;
  /** config.column_types: overrides inference per column (exact, then case-insensitive match). */
  columnTypes?: Record<string, string>;
  /** config.delimiter; ',' by default. */
  delimiter?: string;
  /** config.quote_columns; true (keep the header's case) by default, as dbt on Postgres. */
  quoteColumns?: boolean;
  fullRefresh: boolean;
  /**
   * Hooks run in the load's transaction, each rendered there as it runs, pre-hooks before the load
   * and post-hooks after it (again if the load retries with other types: the first attempt rolled
   * back). Hooks with `transaction: false` are skipped here; the caller runs them around the load
   * (`aroundBuild`).
   */
  preHooks?: readonly BuildHook[];
  postHooks?: readonly BuildHook[];
}

export type SeedLoadKind = 'create' | 'truncate-insert' | 'recreate';

export interface SeedLoadResult {
  rows: number;
  columns: SeedColumn[];
  kind: SeedLoadKind;
  ms: number;
}

/** Bytes read to guess types before loading a file larger than that. */
const PROBE_BYTES = 2 << 20;

export async function loadSeed(req: SeedLoadRequest): Promise<SeedLoadResult> {
  const started = performance.now();
  const { warehouse, path } = req;
  const delimiter = req.delimiter ?? ',';
  try {
    delimiterByte(delimiter);
  } catch (err) {
    throw new MartqlError('SEED', (err as Error).message, { location: { file: path } });
  }
  const source = new SeedSource(req.csv);
  const lookup = columnTypeLookup(req.columnTypes);
  const isOverridden = (column: string) => lookup(column) !== undefined;
  const probe = await probeSeed(source, { path, delimiter, isOverridden, limitBytes: PROBE_BYTES });
  const { header } = probe;
  const columnsOf = (kinds: Kind[]) =>
    seedColumns({ path, header, kinds, columnTypes: req.columnTypes, quoteColumns: req.quoteColumns });
  const declared = new Set(
    columnsOf(probe.kinds)
      .filter((_, i) => isOverridden(header[i]))
      .map((c) => c.name),
  );
  const { schema, identifier } = req.relation;
  if (!(await warehouse.schemaExists(schema))) await warehouse.createSchema(schema);

  let kinds = probe.kinds;
  let final = probe.complete;
  for (;;) {
    const columns = columnsOf(kinds);
    const pass = new LoadPass(source, path, delimiter, isOverridden);
    const copy = async (tx: Session, table: TableName) => {
      const loaded = await tx.copyFrom(
        table,
        columns.map((c) => c.name),
        pass.bytes(),
        { delimiter, nullString: '' },
      );
      if (!sameKinds(pass.kinds, kinds)) throw new GuessMissed(pass.kinds);
      if (loaded !== pass.rows) throw changedWhileLoading(path, loaded, pass.rows);
    };
    try {
      const kind = await warehouse.transaction(async (tx) => {
        await runHooks(tx, req.preHooks);
        const done = await swapIn(tx, { schema, name: identifier }, columns, req.fullRefresh, copy);
        await runHooks(tx, req.postHooks);
        return done;
      });
      return { rows: pass.rows, columns, kind, ms: performance.now() - started };
    } catch (err) {
      if (err instanceof HookFailed) throw err.cause;
      if (err instanceof GuessMissed) {
        kinds = err.kinds;
        final = true;
        continue;
      }
      if (!final && isDatabaseError(err)) {
        // COPY rejected a value before the pass could finish: learn the real types, then retry if
        // they differ from the guess (else the value is wrong for its declared type).
        const full = await probeSeed(source, { path, delimiter, isOverridden });
        final = true;
        if (!sameKinds(full.kinds, kinds)) {
          kinds = full.kinds;
          continue;
        }
      }
      throw await explainCopyError(err, { path, source, delimiter, columns, declared });
    }
  }
}

/** A hook failed: its error, which is not the load's and must not be read as a COPY error. */
class HookFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('a hook failed');
  }
}

async function runHooks(tx: Session, hooks: readonly BuildHook[] | undefined): Promise<void> {
  if (!hooks || hooks.length === 0) return;
  try {
    await new StatementLog().hooks(tx, hooks);
  } catch (err) {
    throw new HookFailed(err);
  }
}

/** The load used types the full file does not support; carries the right kinds. */
class GuessMissed extends Error {
  constructor(readonly kinds: Kind[]) {
    super('the types guessed from the start of the seed do not hold for the whole file');
  }
}

function isDatabaseError(err: unknown): boolean {
  return err instanceof MartqlError && err.code === 'DATABASE';
}

function sameKinds(a: Kind[], b: Kind[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i] || kindType(k) === kindType(b[i]));
}

function changedWhileLoading(path: string, loaded: number, rows: number): MartqlError {
  return new MartqlError(
    'SEED',
    `COPY loaded ${loaded} rows but the file has ${rows}; did it change while loading?`,
    {
      location: { file: path },
    },
  );
}

async function swapIn(
  tx: Session,
  target: TableName,
  columns: SeedColumn[],
  fullRefresh: boolean,
  copy: (tx: Session, table: TableName) => Promise<void>,
): Promise<SeedLoadKind> {
  const existing = await tx.getRelation(target.schema, target.name);
  if (!existing) {
    await tx.query(createTable(target, columns));
    await copy(tx, target);
    return 'create';
  }
  const staging = { schema: target.schema, name: stagingName(target.name) };
  await tx.query(createTable(staging, columns));
  if (existing.type === 'table' && !fullRefresh) {
    const [now, next] = await Promise.all([
      tx.getColumns(target.schema, target.name),
      tx.getColumns(staging.schema, staging.name),
    ]);
    if (sameColumns(now, next)) {
      await tx.query(`drop table ${qualify(staging.schema, staging.name)}`);
      await tx.query(`truncate table ${qualify(target.schema, target.name)}`);
      await copy(tx, target);
      return 'truncate-insert';
    }
  }
  await copy(tx, staging);
  await tx.query(`drop ${ddlKeyword(existing.type)} ${qualify(target.schema, target.name)} cascade`);
  await tx.query(`alter table ${qualify(staging.schema, staging.name)} rename to ${quoteIdent(target.name)}`);
  return 'recreate';
}

function createTable(table: TableName, columns: SeedColumn[]): string {
  const defs = columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
  return `create table ${qualify(table.schema, table.name)} (${defs})`;
}

function sameColumns(a: Column[], b: Column[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i].name && c.dataType === b[i].dataType);
}

/** A unique staging name that stays within Postgres's 63-byte identifiers, so it never truncates onto another name. */
function stagingName(identifier: string): string {
  const suffix = `__seed_${randomBytes(4).toString('hex')}`;
  let base = identifier;
  while (Buffer.byteLength(base) + suffix.length > 63) base = base.slice(0, -1);
  return base + suffix;
}
