/**
 * The public API of the warehouse layer; everything outside `warehouse/` imports from here.
 * Nothing outside this folder imports `pg` or PGlite.
 */
export type {
  Column,
  CopyOptions,
  QueryResult,
  Relation,
  RelationType,
  Session,
  TableName,
  Warehouse,
  WarehouseKind,
  WarehouseOptions,
} from './types';
export { openWarehouse } from './warehouse';
export { qualify, quoteIdent, quoteLiteral } from './quote';
export { ddlKeyword } from './ddl-keyword';
export { isoDateTime } from './iso-date-time';
export type { JsonCodec, JsonRowEncoding, JsonRows } from './json-rows';
