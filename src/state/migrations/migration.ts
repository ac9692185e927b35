/**
 * The shape of one state-schema migration. The schema name is a parameter because it is configurable
 * (tests give every store a schema of its own), so each migration is a function from the quoted
 * schema name to its statements rather than a fixed SQL file.
 */
export interface Migration {
  /** 1, 2, 3, ... with no gaps; `schema_version` records the ones applied. */
  version: number;
  name: string;
  /** Statements run in order in the migration transaction; `s` is the quoted schema name. */
  statements(s: string): string[];
}
