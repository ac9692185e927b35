/**
 * The `view` materialization: the model's view is replaced atomically, a failing SELECT leaves the
 * old view in place, and views that read this one keep working.
 *
 * The new definition is first created as `<name>__dbt_tmp`, which validates the SQL and tells us its
 * columns without touching the current view. When the current relation is a view whose columns are
 * a prefix of the new ones (the common case: same columns, or columns added at the end), CREATE OR
 * REPLACE VIEW swaps the definition in place: the view keeps its OID, so grants, comments and
 * dependent views are untouched. Otherwise (columns renamed, removed or retyped, or the model was a
 * table) the intermediate view is swapped in by `swap.ts`, which recreates the dependent views.
 */
import { qualify, type Column } from '../warehouse';
import { sameType } from './data-types';
import { checkBuiltColumns, contractEnforced } from './contract';
import { intermediateName } from './names';
import { dropIfExists, dropRelation, selectable } from './relation-sql';
import { ensureSchema } from './schema';
import { StatementLog } from './statement-log';
import { swapIntoPlace } from './swap';
import type { Materialization, MaterializeRequest, MaterializeResult } from './types';

/** True when CREATE OR REPLACE VIEW accepts `next` in place of `current`. */
export function canReplaceView(current: Column[], next: Column[]): boolean {
  return (
    current.length <= next.length &&
    current.every((c, i) => c.name === next[i].name && sameType(c.dataType, next[i].dataType))
  );
}

async function buildView(req: MaterializeRequest): Promise<MaterializeResult> {
  const { schema, identifier } = req.relation;
  const tmpName = intermediateName(identifier, '__dbt_tmp');
  const sql = `${selectable(req.compile({ isIncremental: false }))}\n`;
  const log = new StatementLog();
  await ensureSchema(req.warehouse, schema);
  await req.warehouse.transaction(async (tx) => {
    await log.hooks(tx, req.preHooks);
    await dropIfExists(tx, log, schema, tmpName);
    await log.query(tx, `create view ${qualify(schema, tmpName)} as ${sql}`);
    const next = contractEnforced(req.config)
      ? await checkBuiltColumns(tx, { schema, name: tmpName }, req.relation, req.columns)
      : await tx.getColumns(schema, tmpName);
    const existing = await tx.getRelation(schema, identifier);
    if (existing?.type === 'view' && canReplaceView(await tx.getColumns(schema, identifier), next)) {
      await dropRelation(tx, log, { schema, name: tmpName, type: 'view' }, { cascade: false });
      await log.query(tx, `create or replace view ${qualify(schema, identifier)} as ${sql}`);
    } else {
      await swapIntoPlace(tx, log, {
        existing,
        intermediate: { schema, name: tmpName, type: 'view' },
        target: identifier,
      });
    }
    await log.hooks(tx, req.postHooks);
  });
  return { kind: 'view', rowsAffected: null, relationType: 'view', statements: log.records };
}

export const viewMaterialization: Materialization = { name: 'view', run: buildView };
