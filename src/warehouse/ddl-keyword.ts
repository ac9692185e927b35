/**
 * The word Postgres wants after DROP / ALTER for each kind of relation (`drop materialized view`,
 * `alter foreign table`): relation kinds are the warehouse's vocabulary, so the mapping lives here.
 */
import { MartqlError } from '../errors';
import type { RelationType } from './types';

export function ddlKeyword(type: RelationType): string {
  switch (type) {
    case 'table':
    case 'partitioned_table':
      return 'table';
    case 'view':
      return 'view';
    case 'materialized_view':
      return 'materialized view';
    case 'foreign_table':
      return 'foreign table';
    default: {
      const never: never = type;
      throw new MartqlError('INTERNAL', `unknown relation type ${String(never)}`);
    }
  }
}
