/**
 * The flow-collection part of the fast YAML reader: `[a, b]` and `{k: v}`, which may span lines.
 * Like the block part, it records offsets as the exact reader does and steps aside (`Unsupported`)
 * for anything unusual: nested keys, multi-line scalars, anchors, `?` keys.
 */
import { fail, resolvePlain, unquote } from './fast-yaml-scalars';
import type { LocatedYaml } from './yaml-file';

/** Flow collections (`[a, b]`, `{k: v}`), which may span lines. */
export class FlowReader {
  constructor(
    private readonly text: string,
    public offset: number,
    private readonly located: LocatedYaml,
  ) {}

  value(): unknown {
    this.space();
    const c = this.text[this.offset];
    if (c === '[') return this.list();
    if (c === '{') return this.map();
    if (c === '"' || c === "'") return this.quoted();
    return resolvePlain(this.plain());
  }

  private space(): void {
    for (;;) {
      const ch = this.text[this.offset];
      if (ch === ' ' || ch === '\n') this.offset++;
      else if (ch === '#' && /[ \n]/.test(this.text[this.offset - 1] ?? '\n')) {
        const nl = this.text.indexOf('\n', this.offset);
        this.offset = nl === -1 ? this.text.length : nl;
      } else return;
    }
  }

  private list(): unknown[] {
    const out: unknown[] = [];
    const items: number[] = [];
    const at = this.offset;
    this.offset++;
    for (;;) {
      this.space();
      if (this.text[this.offset] === ']') break;
      items.push(this.offset);
      out.push(this.value());
      this.space();
      const ch = this.text[this.offset];
      if (ch === ':') fail();
      if (ch === ',') this.offset++;
      else if (ch !== ']') fail();
    }
    this.offset++;
    this.located.record(out, { at, items });
    return out;
  }

  private map(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys: Record<string, number> = {};
    const at = this.offset;
    this.offset++;
    for (;;) {
      this.space();
      if (this.text[this.offset] === '}') break;
      const keyAt = this.offset;
      const c = this.text[keyAt];
      if (c === '[' || c === '{') fail();
      const key = c === '"' || c === "'" ? this.quoted() : String(resolvePlain(this.plain()));
      if (key === '<<' || key === '__proto__') fail();
      this.space();
      if (this.text[this.offset] !== ':') fail();
      this.offset++;
      this.space();
      const ch = this.text[this.offset];
      out[key] = ch === ',' || ch === '}' ? null : this.value();
      keys[key] = keyAt;
      this.space();
      const next = this.text[this.offset];
      if (next === ',') this.offset++;
      else if (next !== '}') fail();
    }
    this.offset++;
    this.located.record(out, { at, keys });
    return out;
  }

  private quoted(): string {
    const q = this.text[this.offset];
    for (let p = this.offset + 1; p < this.text.length; p++) {
      const ch = this.text[p];
      if (ch === '\n') fail();
      if (q === "'" && ch === "'") {
        if (this.text[p + 1] === "'") p++;
        else return this.take(p + 1);
      } else if (q === '"' && ch === '\\') p++;
      else if (q === '"' && ch === '"') return this.take(p + 1);
    }
    return fail();
  }

  private take(close: number): string {
    const value = unquote(this.text, this.offset, close);
    this.offset = close;
    return value;
  }

  /** A plain scalar inside a flow collection: up to `,`, `]`, `}`, `: ` or a comment. */
  private plain(): string {
    const start = this.offset;
    if ('&*!|>%@`?#-'.includes(this.text[start]) && !/^-[^ ,\]}\n]/.test(this.text.slice(start, start + 2))) {
      fail();
    }
    let p = start;
    for (; p < this.text.length; p++) {
      const ch = this.text[p];
      if (ch === ',' || ch === ']' || ch === '}' || ch === '[' || ch === '{') break;
      if (ch === '\n') fail();
      if (ch === ':' && /[ ,\]}\n]/.test(this.text[p + 1] ?? '\n')) break;
      if (ch === '#' && this.text[p - 1] === ' ') fail();
    }
    if (this.text[p] === '[' || this.text[p] === '{') fail();
    this.offset = p;
    const raw = this.text.slice(start, p).trimEnd();
    if (raw === '') fail();
    return raw;
  }
}
