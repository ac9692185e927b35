/**
 * `append`: insert every new row. No key, no matching: re-sent rows become duplicates, which is
 * what append means (event logs whose model selects only rows newer than the table's watermark).
 */
import { columnList } from './keys';
import type { Strategy } from './strategy';

export const appendStrategy: Strategy = async ({ tx, log, target, source, columns }) => {
  const cols = columnList(columns);
  return (await log.query(tx, `insert into ${target} (${cols}) select ${cols} from ${source}`)).rowCount;
};
