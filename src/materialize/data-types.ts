/**
 * Comparing type names as users write them in YAML (`int`, `varchar(20)`, `timestamptz`) with the
 * names Postgres reports (`format_type`: `integer`, `character varying(20)`, `timestamp with time
 * zone`). Contracts and `on_schema_change` both need "is this the same type?", and Postgres has
 * several spellings for most types.
 */

/** Alias -> canonical `format_type` base name. */
const ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  int2: 'smallint',
  smallint: 'smallint',
  int8: 'bigint',
  bigint: 'bigint',
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
  float: 'double precision',
  float8: 'double precision',
  'double precision': 'double precision',
  float4: 'real',
  real: 'real',
  decimal: 'numeric',
  numeric: 'numeric',
  bool: 'boolean',
  boolean: 'boolean',
  varchar: 'character varying',
  'character varying': 'character varying',
  'char varying': 'character varying',
  char: 'character',
  character: 'character',
  bpchar: 'character',
  text: 'text',
  timestamp: 'timestamp without time zone',
  'timestamp without time zone': 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  'timestamp with time zone': 'timestamp with time zone',
  time: 'time without time zone',
  'time without time zone': 'time without time zone',
  timetz: 'time with time zone',
  'time with time zone': 'time with time zone',
  date: 'date',
  interval: 'interval',
  json: 'json',
  jsonb: 'jsonb',
  uuid: 'uuid',
  bytea: 'bytea',
  varbit: 'bit varying',
  'bit varying': 'bit varying',
};

export interface ParsedType {
  /** Canonical base name, e.g. `character varying`, `timestamp with time zone`. */
  base: string;
  /** Size / precision / scale as written, without spaces (`20`, `10,2`); null when absent. */
  modifier: string | null;
  /** Array dimensions (`int[]` -> 1). */
  arrayDims: number;
}

export function parseType(written: string): ParsedType {
  let text = written.trim().toLowerCase().replace(/\s+/g, ' ');
  let arrayDims = 0;
  while (text.endsWith('[]')) {
    arrayDims++;
    text = text.slice(0, -2).trim();
  }
  let modifier: string | null = null;
  // `timestamp(3) with time zone` puts the modifier in the middle; `numeric(10, 2)` at the end.
  const match = /^([^()]*?)\s*\(([^)]*)\)\s*(.*)$/.exec(text);
  if (match) {
    modifier = match[2].replace(/\s+/g, '');
    text = `${match[1]} ${match[3]}`.trim();
  }
  // A schema-qualified built-in (`pg_catalog.int4`) is the built-in.
  text = text.replace(/^pg_catalog\./, '').replace(/^"(.*)"$/, '$1');
  return { base: ALIASES[text] ?? text, modifier, arrayDims };
}

/** Same base type (size, precision and scale ignored, as dbt's contract check does). */
export function sameBaseType(a: string, b: string): boolean {
  const x = parseType(a);
  const y = parseType(b);
  return x.base === y.base && x.arrayDims === y.arrayDims;
}

/** Same type including its modifier (`varchar(10)` differs from `varchar(20)` and from `varchar`). */
export function sameType(a: string, b: string): boolean {
  const x = parseType(a);
  const y = parseType(b);
  return x.base === y.base && x.arrayDims === y.arrayDims && x.modifier === y.modifier;
}
