/**
 * A fast reader for the plain subset of YAML that dbt property files are written in.
 *
 * The `yaml` package is exact but slow (about 2 MB/s here), and a 2,000-model project carries
 * megabytes of property files; project loading would spend most of its time there. Nearly all dbt
 * YAML is block mappings and lists, flow lists and maps, plain or quoted one-line scalars and `|`/`>`
 * block text, so this reader handles exactly that and records the same positions as the exact path.
 * On anything else (anchors, tags, multi-line plain or quoted scalars, tabs, several documents, odd
 * indentation, any syntax error) it throws `Unsupported` and the caller uses the `yaml` package,
 * which also produces the real error message. Scalars resolve as in `yaml-file.ts`: the YAML 1.2
 * core schema plus PyYAML's yes/no/on/off booleans. The differential test keeps the two in step.
 */
import { FlowReader } from './fast-yaml-flow';
import { fail, resolvePlain, unquote, Unsupported } from './fast-yaml-scalars';
import type { LocatedYaml } from './yaml-file';

export { Unsupported };

interface Line {
  /** Offset of the first character of the line. */
  start: number;
  /** Offset just past the last character (before `\n`). */
  end: number;
  /** Leading spaces. */
  indent: number;
  /** True when the line holds nothing but spaces or a comment. */
  empty: boolean;
}

export function parseFast(text: string, located: LocatedYaml): unknown {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) fail();
  return new Reader(text, located).document();
}

class Reader {
  private readonly lines: Line[] = [];
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly located: LocatedYaml,
  ) {
    let start = 0;
    for (;;) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      let indent = start;
      while (indent < end && text.charCodeAt(indent) === 32) indent++;
      this.lines.push({ start, end, indent: indent - start, empty: indent === end || text[indent] === '#' });
      if (end === text.length) break;
      start = end + 1;
    }
  }

  document(): unknown {
    this.located.lineStarts = this.lines.map((l) => l.start);
    this.skipEmpty();
    const first = this.lines[this.i];
    if (first && this.lineText(first) === '---') {
      this.i++;
      this.skipEmpty();
    }
    if (this.i >= this.lines.length) return null;
    if (this.lines[this.i].indent !== 0) fail();
    const value = this.block(0);
    this.skipEmpty();
    if (this.i < this.lines.length) fail();
    return value;
  }

  private lineText(line: Line): string {
    return this.text.slice(line.start + line.indent, line.end).trimEnd();
  }

  private skipEmpty(): void {
    while (this.i < this.lines.length && this.lines[this.i].empty) this.i++;
  }

  /** The block node starting on the current line, whose indent is at least `min`. */
  private block(min: number): unknown {
    this.skipEmpty();
    const line = this.lines[this.i];
    if (!line || line.indent < min) return null;
    const at = line.start + line.indent;
    if (this.isDash(at)) return this.sequence(line.indent);
    return this.mapping(line.indent, at);
  }

  private isDash(at: number): boolean {
    const next = this.text.charCodeAt(at + 1);
    return this.text[at] === '-' && (next === 32 || next === 10 || Number.isNaN(next));
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    const items: number[] = [];
    const first = this.lines[this.i];
    const seqPos = first.start + indent;
    for (;;) {
      this.skipEmpty();
      const line = this.lines[this.i];
      if (!line || line.indent < indent) break;
      const dash = line.start + line.indent;
      if (line.indent > indent || !this.isDash(dash)) {
        if (line.indent === indent) break;
        fail();
      }
      let at = dash + 1;
      while (at < line.end && this.text.charCodeAt(at) === 32) at++;
      if (at >= line.end || this.text[at] === '#') {
        this.i++;
        this.skipEmpty();
        const next = this.lines[this.i];
        if (next && next.indent > indent) {
          items.push(next.start + next.indent);
          out.push(this.block(indent + 1));
        } else {
          items.push(dash);
          out.push(null);
        }
        continue;
      }
      items.push(at);
      if (this.isDash(at)) fail();
      if (this.keyEnd(at, line.end) !== -1) out.push(this.mapping(at - line.start, at));
      else out.push(this.inlineValue(at, line, indent));
    }
    this.located.record(out, { at: seqPos, items });
    return out;
  }

  /** End offset of a plain or quoted key starting at `at` (the offset of its colon), or -1. */
  private keyEnd(at: number, end: number): number {
    const c = this.text[at];
    if (c === '"' || c === "'") {
      const close = this.quotedEnd(at, end);
      if (close === -1) return -1;
      let p = close;
      while (p < end && this.text.charCodeAt(p) === 32) p++;
      return this.text[p] === ':' && (p + 1 === end || this.text.charCodeAt(p + 1) === 32) ? p : -1;
    }
    if ('[{&*!|>%@`?#'.includes(c)) return -1;
    for (let p = at; p < end; p++) {
      const ch = this.text.charCodeAt(p);
      if (ch === 58 /* : */ && (p + 1 === end || this.text.charCodeAt(p + 1) === 32)) return p;
      if (ch === 35 /* # */ && this.text.charCodeAt(p - 1) === 32) return -1;
    }
    return -1;
  }

  private mapping(indent: number, firstAt: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys: Record<string, number> = {};
    const mapPos = firstAt;
    let at = firstAt;
    for (;;) {
      const line = this.lines[this.i];
      const colon = this.keyEnd(at, line.end);
      if (colon === -1) fail();
      const key = this.keyText(at, colon);
      if (key === '<<' || key === '__proto__') fail();
      keys[key] = at;
      let v = colon + 1;
      while (v < line.end && this.text.charCodeAt(v) === 32) v++;
      let value: unknown;
      if (v >= line.end || this.text[v] === '#') {
        this.i++;
        this.skipEmpty();
        const next = this.lines[this.i];
        if (next && next.indent > indent) value = this.block(indent + 1);
        else if (next && next.indent === indent && this.isDash(next.start + next.indent))
          value = this.sequence(indent);
        else value = null;
      } else {
        value = this.inlineValue(v, line, indent);
      }
      out[key] = value;
      this.skipEmpty();
      const next = this.lines[this.i];
      if (!next || next.indent < indent) break;
      if (next.indent > indent) fail();
      at = next.start + next.indent;
      if (this.isDash(at)) break;
    }
    this.located.record(out, { at: mapPos, keys });
    return out;
  }

  private keyText(at: number, colon: number): string {
    const c = this.text[at];
    if (c === '"' || c === "'") return this.quoted(at, this.quotedEnd(at, colon + 1));
    return String(resolvePlain(this.text.slice(at, colon).trimEnd()));
  }

  /**
   * A value that starts on the current line at `at` (after `key: ` or `- `); advances past it.
   * `parentIndent` bounds block scalars and detects multi-line plain scalars.
   */
  private inlineValue(at: number, line: Line, parentIndent: number): unknown {
    const c = this.text[at];
    if (c === '[' || c === '{') {
      const flow = new FlowReader(this.text, at, this.located);
      const value = flow.value();
      this.restIsComment(flow.offset, this.lineAt(flow.offset));
      this.i = this.lineIndex(flow.offset) + 1;
      return value;
    }
    if (c === '|' || c === '>') return this.blockScalar(at, line, parentIndent);
    if (c === '"' || c === "'") {
      const close = this.quotedEnd(at, line.end);
      if (close === -1) fail();
      this.restIsComment(close, line);
      this.i++;
      this.noContinuation(parentIndent);
      return this.quoted(at, close);
    }
    if ('&*!%@`?:,]}'.includes(c) || this.isDash(at)) fail();
    let end = line.end;
    for (let p = at + 1; p < end; p++) {
      if (this.text.charCodeAt(p) === 35 /* # */ && this.text.charCodeAt(p - 1) === 32) end = p;
    }
    const raw = this.text.slice(at, end).trimEnd();
    if (raw.includes(': ') || raw.endsWith(':')) fail();
    this.i++;
    this.noContinuation(parentIndent);
    return resolvePlain(raw);
  }

  /** A more-indented line after a one-line value would be a multi-line scalar: leave it to `yaml`. */
  private noContinuation(parentIndent: number): void {
    this.skipEmpty();
    const next = this.lines[this.i];
    if (next && next.indent > parentIndent) fail();
  }

  private restIsComment(from: number, line: Line): void {
    let p = from;
    while (p < line.end && this.text.charCodeAt(p) === 32) p++;
    if (p < line.end && !(this.text[p] === '#' && p > from)) fail();
  }

  private blockScalar(at: number, line: Line, parentIndent: number): string {
    const header = this.text
      .slice(at, line.end)
      .replace(/\s+#.*$/, '')
      .trimEnd();
    const m = /^([|>])([-+]?)$/.exec(header);
    if (!m) fail();
    const [, style, chomp] = m as RegExpExecArray;
    if (chomp === '+') fail();
    this.i++;
    const body: string[] = [];
    let contentIndent = -1;
    while (this.i < this.lines.length) {
      const l = this.lines[this.i];
      const blank = l.indent === l.end - l.start;
      if (!blank && l.indent <= parentIndent) break;
      if (!blank && contentIndent === -1) contentIndent = l.indent;
      if (!blank && l.indent < contentIndent) fail();
      if (blank && contentIndent !== -1 && l.end - l.start > contentIndent) fail();
      body.push(blank ? '' : this.text.slice(l.start + contentIndent, l.end));
      this.i++;
    }
    if (contentIndent === -1 && body.some((b) => b !== '')) fail();
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    if (body.length === 0) return '';
    let out: string;
    if (style === '|') {
      out = body.join('\n');
    } else {
      if (body.some((b) => b.startsWith(' '))) fail();
      out = '';
      for (let k = 0; k < body.length; k++) {
        if (k === 0) out = body[0];
        else if (body[k] === '') out += '\n';
        else out += body[k - 1] === '' ? body[k] : ` ${body[k]}`;
      }
    }
    return chomp === '-' ? out : `${out}\n`;
  }

  /** Offset just past the closing quote of a one-line quoted scalar at `at`, or -1. */
  private quotedEnd(at: number, end: number): number {
    const q = this.text[at];
    for (let p = at + 1; p < end; p++) {
      const ch = this.text[p];
      if (q === "'" && ch === "'") {
        if (this.text[p + 1] === "'") p++;
        else return p + 1;
      } else if (q === '"' && ch === '\\') p++;
      else if (q === '"' && ch === '"') return p + 1;
    }
    return -1;
  }

  private quoted(at: number, close: number): string {
    return unquote(this.text, at, close);
  }

  private lineIndex(offset: number): number {
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lines[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private lineAt(offset: number): Line {
    return this.lines[this.lineIndex(offset)];
  }
}
