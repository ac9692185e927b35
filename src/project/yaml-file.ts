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

interface Pos {
  line: number;
  column: number;
}

interface Positions {
  at: Pos;
  keys?: Map<string, Pos>;
  items?: Pos[];
}

/** A parsed YAML file: its value and the positions of its mappings, keys and list items. */
export class LocatedYaml {
  private readonly positions = new WeakMap<object, Positions>();

  constructor(
    /** The file as shown to users (relative to the project root). */
    readonly file: string,
    public value: unknown = null,
  ) {}

  /** @internal used while converting. */
  record(target: object, positions: Positions): void {
    this.positions.set(target, positions);
  }

  /** Where a mapping or list starts; the whole file when unknown. */
  at(value: unknown): SourceLocation {
    const p = isObject(value) ? this.positions.get(value) : undefined;
    return p ? this.loc(p.at) : { file: this.file };
  }

  /** Where `key` of a mapping is written, falling back to the mapping itself. */
  atKey(map: unknown, key: string): SourceLocation {
    const p = isObject(map) ? this.positions.get(map)?.keys?.get(key) : undefined;
    return p ? this.loc(p) : this.at(map);
  }

  /** Where item `index` of a list is written, falling back to the list itself. */
  atItem(list: unknown, index: number): SourceLocation {
    const p = Array.isArray(list) ? this.positions.get(list)?.items?.[index] : undefined;
    return p ? this.loc(p) : this.at(list);
  }

  /** A YAML_SCHEMA error at a location in this file. */
  schemaError(message: string, location: SourceLocation, hint?: string): MartqlError {
    return new MartqlError('YAML_SCHEMA', message, { location, hint });
  }

  private loc(p: Pos): SourceLocation {
    return { file: this.file, line: p.line, column: p.column };
  }
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

/** Parses `text`; a syntax error becomes `YAML_SYNTAX` at the first problem's line and column. */
export function parseYaml(text: string, file: string): LocatedYaml {
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
  const posAt = (offset: number | undefined): Pos => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line, column: col };
  };
  located.value = convert(doc.contents as YamlNode | null, doc, located, posAt, 0);
  return located;
}

const MAX_ALIAS_DEPTH = 50;

function convert(
  node: YamlNode | null | undefined,
  doc: Document,
  located: LocatedYaml,
  posAt: (offset: number | undefined) => Pos,
  depth: number,
): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    if (depth > MAX_ALIAS_DEPTH) return null;
    return convert(node.resolve(doc) as YamlNode | undefined, doc, located, posAt, depth + 1);
  }
  if (isScalar(node)) {
    if (node.value instanceof Date) return node.source ?? node.value.toISOString();
    return node.value;
  }
  if (isSeq(node)) {
    const out: unknown[] = [];
    const items: Pos[] = [];
    for (const item of node.items) {
      const child = item as YamlNode | null;
      out.push(convert(child, doc, located, posAt, depth));
      items.push(posAt(child?.range?.[0] ?? node.range?.[0]));
    }
    located.record(out, { at: posAt(node.range?.[0]), items });
    return out;
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const keys = new Map<string, Pos>();
    const merged: Record<string, unknown>[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const rawKey = isScalar(keyNode) ? keyNode.value : convert(keyNode, doc, located, posAt, depth);
      const value = convert(pair.value as YamlNode | null, doc, located, posAt, depth);
      if (typeof rawKey === 'symbol' || rawKey === '<<') {
        for (const m of Array.isArray(value) ? value : [value]) {
          if (isObject(m) && !Array.isArray(m)) merged.push(m as Record<string, unknown>);
        }
        continue;
      }
      const key = String(rawKey);
      setKey(out, key, value);
      keys.set(key, posAt(keyNode?.range?.[0]));
    }
    // Merge keys fill in what the mapping does not say itself; earlier merged maps win.
    for (const m of merged) {
      for (const [k, v] of Object.entries(m)) if (!(k in out)) setKey(out, k, v);
    }
    located.record(out, { at: posAt(node.range?.[0]), keys });
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
