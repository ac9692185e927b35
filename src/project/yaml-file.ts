/**
 * Parses one YAML file into plain JavaScript values that still know where they came from.
 *
 * Every later check (`columns` must be a list, a test must be a string or a one-key mapping) needs
 * the file and line of the offending value, but working on the `yaml` AST everywhere would make the
 * property parsers unreadable. So each file is parsed once with a LineCounter, converted to plain
 * objects and arrays, and the position of every mapping, mapping key and list item is kept in a
 * WeakMap beside the value. Parsers read plain JS and ask `located.at(value)` only when they fail.
 *
 * dbt reads YAML with PyYAML, which is mostly YAML 1.2's core schema plus 1.1's `yes`/`no`/`on`/`off`
 * booleans and `<<` merge keys; the same is done here (the `yaml` package's full 1.1 schema would
 * also turn a column named `n` or `y` into a boolean, which PyYAML does not). Dates stay the text
 * they were written as (PyYAML gives a date object that renders the same), and duplicate keys keep
 * the last value instead of failing.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, ScalarTag } from 'yaml';
import { MartqlError, type SourceLocation } from '../errors';
import { parseFast, Unsupported } from './fast-yaml';

/**
 * Offsets recorded for one mapping or list: where it starts, and where each key or item starts.
 * Offsets (not line/column pairs) keep the bookkeeping to a few numbers per collection; lines and
 * columns are computed only for the rare value someone asks about.
 */
interface Positions {
  at: number;
  keys?: Record<string, number>;
  items?: number[];
}

/** Positions ride on the values themselves, hidden (non-enumerable), so no side table is needed. */
const POSITIONS = Symbol('martql.yaml.positions');

/** A parsed YAML file: its value and the positions of its mappings, keys and list items. */
export class LocatedYaml {
  /** Offset of the first character of each line. */
  lineStarts: number[] = [0];

  constructor(
    /** The file as shown to users (relative to the project root). */
    readonly file: string,
    public value: unknown = null,
  ) {}

  /** @internal used by the readers. */
  record(target: object, positions: Positions): void {
    Object.defineProperty(target, POSITIONS, { value: positions });
  }

  /** Every recorded position under `value`, as plain data (for tests comparing the two readers). */
  positionsOf(value: unknown): unknown {
    if (!isObject(value)) return null;
    const p = positionsOf(value);
    const children = Array.isArray(value)
      ? value.map((v) => this.positionsOf(v))
      : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.positionsOf(v)]));
    const keys = p?.keys
      ? Object.fromEntries(Object.entries(p.keys).map(([k, o]) => [k, this.loc(o)]))
      : undefined;
    return { at: p ? this.loc(p.at) : undefined, keys, items: p?.items?.map((o) => this.loc(o)), children };
  }

  /** Where a mapping or list starts; the whole file when unknown. */
  at(value: unknown): SourceLocation {
    const p = positionsOf(value);
    return p ? this.loc(p.at) : { file: this.file };
  }

  /** Where `key` of a mapping is written, falling back to the mapping itself. */
  atKey(map: unknown, key: string): SourceLocation {
    const offset = positionsOf(map)?.keys?.[key];
    return offset !== undefined ? this.loc(offset) : this.at(map);
  }

  /** Where item `index` of a list is written, falling back to the list itself. */
  atItem(list: unknown, index: number): SourceLocation {
    const offset = Array.isArray(list) ? positionsOf(list)?.items?.[index] : undefined;
    return offset !== undefined ? this.loc(offset) : this.at(list);
  }

  /** A YAML_SCHEMA error at a location in this file. */
  schemaError(message: string, location: SourceLocation, hint?: string): MartqlError {
    return new MartqlError('YAML_SCHEMA', message, { location, hint });
  }

  private loc(offset: number): SourceLocation {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: offset - starts[lo] + 1 };
  }
}

function positionsOf(value: unknown): Positions | undefined {
  return isObject(value) ? (value as { [POSITIONS]?: Positions })[POSITIONS] : undefined;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** PyYAML's booleans: YAML 1.2's true/false plus yes/no/on/off, in three casings each. */
const PYYAML_BOOL: ScalarTag = {
  identify: (value) => typeof value === 'boolean',
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: /^(?:[Yy]es|YES|[Nn]o|NO|[Tt]rue|TRUE|[Ff]alse|FALSE|[Oo]n|ON|[Oo]ff|OFF)$/,
  resolve: (text) => /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/.test(text),
};

/**
 * Parses `text`; a syntax error becomes `YAML_SYNTAX` at the first problem's line and column.
 * The plain subset dbt files are written in takes the fast reader; anything else, the exact one.
 */
export function parseYaml(text: string, file: string): LocatedYaml {
  const fast = new LocatedYaml(file);
  try {
    fast.value = parseFast(text, fast);
    return fast;
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
  }
  return parseYamlExactly(text, file);
}

/** Parses with the `yaml` package: every YAML feature, exact error messages, slower. */
export function parseYamlExactly(text: string, file: string): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    schema: 'core',
    customTags: (tags) => [PYYAML_BOOL, ...tags],
    merge: true,
    uniqueKeys: false,
  });
  const located = new LocatedYaml(file);
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const pos = first.linePos?.[0];
    const message = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new MartqlError('YAML_SYNTAX', `invalid YAML: ${message}`, {
      location: { file, line: pos?.line, column: pos?.col },
      cause: first,
    });
  }
  located.lineStarts = lineCounter.lineStarts;
  located.value = convert(doc.contents as YamlNode | null, doc, located, 0);
  return located;
}

const MAX_ALIAS_DEPTH = 50;

function convert(
  node: YamlNode | null | undefined,
  doc: Document,
  located: LocatedYaml,
  depth: number,
): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    if (depth > MAX_ALIAS_DEPTH) return null;
    return convert(node.resolve(doc) as YamlNode | undefined, doc, located, depth + 1);
  }
  if (isScalar(node)) {
    if (node.value instanceof Date) return node.source ?? node.value.toISOString();
    return node.value;
  }
  if (isSeq(node)) {
    const out: unknown[] = [];
    const items: number[] = [];
    for (const item of node.items) {
      const child = item as YamlNode | null;
      out.push(convert(child, doc, located, depth));
      items.push(child?.range?.[0] ?? node.range?.[0] ?? 0);
    }
    located.record(out, { at: node.range?.[0] ?? 0, items });
    return out;
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const keys: Record<string, number> = {};
    const merged: Record<string, unknown>[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const rawKey = isScalar(keyNode) ? keyNode.value : convert(keyNode, doc, located, depth);
      const value = convert(pair.value as YamlNode | null, doc, located, depth);
      if (typeof rawKey === 'symbol' || rawKey === '<<') {
        for (const m of Array.isArray(value) ? value : [value]) {
          if (isObject(m) && !Array.isArray(m)) merged.push(m as Record<string, unknown>);
        }
        continue;
      }
      const key = String(rawKey);
      setKey(out, key, value);
      setKey(keys, key, keyNode?.range?.[0] ?? 0);
    }
    // Merge keys fill in what the mapping does not say itself; earlier merged maps win.
    for (const m of merged) {
      for (const [k, v] of Object.entries(m)) if (!(k in out)) setKey(out, k, v);
    }
    located.record(out, { at: node.range?.[0] ?? 0, keys });
    return out;
  }
  return null;
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** True for a plain mapping (not a list, not null). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return isObject(value) && !Array.isArray(value);
}
