/**
 * `delete+insert`: delete the table's rows whose `unique_key` appears among the new rows, then
 * insert all new rows. Unlike merge it needs no unique index and tolerates a key that is not unique
 * (every row of a re-sent key is replaced, e.g. `unique_key: date_day` replaces whole days).
 * Without a `unique_key` it is an append, as in dbt.
 */
import { columnList, DEST, keyMatch, SOURCE } from './keys';
import type { Strategy } from './strategy';

export const deleteInsertStrategy: Strategy = async ({ tx, log, target, source, columns, settings }) => {
  const { uniqueKey, nullSafe, predicates } = settings;
  if (uniqueKey.length > 0) {
    // A semi-join (`exists`), not `delete ... using`: the staged rows have no statistics yet, and
    // with `using` the planner joined them to a full scan of the table (0.78 s of a 2.6 s
    // incremental run of fct_attribution at 3.5M rows); `exists` probes the key per staged row.
    await log.query(
      tx,
      `delete from ${target} as ${DEST} where exists (select 1 from ${source} as ${SOURCE} where ${keyMatch(uniqueKey, nullSafe, predicates)})`,
    );
  }
  const cols = columnList(columns);
  return (await log.query(tx, `insert into ${target} (${cols}) select ${cols} from ${source}`)).rowCount;
};
