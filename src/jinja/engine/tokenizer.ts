/**
 * nunjucks' tokenizer with Python string-literal escapes (targets nunjucks 3.2.4's
 * `Tokenizer._parseString`). Jinja keeps unknown escapes (`'\d'` stays `\d`, which regexes in dbt
 * packages rely on), drops a backslash-newline, and understands \x, \u, \N-less octal escapes.
 */
import { Tokenizer } from './nunjucks-internals';

const SIMPLE: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

const TAG_START = /\{[{%#]/g;

export class PyTokenizer extends (Tokenizer as new (src: string, opts: object) => any) {
  /**
   * Fast path for template text: nunjucks scans data one character at a time, which dominated
   * compile time for 2,000-model projects; this finds the next tag start with one regex search.
   * (It also lets a stray `#}` in SQL pass as text, as Jinja does.)
   */
  nextToken(this: any): any {
    if (this.in_code) return this.withExponent(super.nextToken());
    if (this.isFinished()) return super.nextToken();
    const str: string = this.str;
    const start: number = this.index;
    if (str.charCodeAt(start) === 123 /* { */) {
      const c = str[start + 1];
      if (c === '{' || c === '%' || c === '#') return super.nextToken();
    }
    TAG_START.lastIndex = start;
    const m = TAG_START.exec(str);
    const end = m ? m.index : str.length;
    const text = str.slice(start, end);
    const tok = { type: 'data', value: text, lineno: this.lineno, colno: this.colno };
    const nl = text.lastIndexOf('\n');
    if (nl < 0) this.colno += text.length;
    else {
      let lines = 0;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
      this.lineno += lines;
      this.colno = text.length - nl - 1;
    }
    this.index = end;
    return tok;
  }

  /**
   * Scientific notation (`1e-9`, `1.5e3`, `2E+4`), which Jinja reads as a float and nunjucks splits
   * into a symbol and an operator: finish the number here and return one float token.
   */
  withExponent(this: any, tok: any): any {
    // Most tokens are neither numbers nor digit-led symbols: return them before any other work
    // (this runs for every token of every template; no closures or regexes on that path).
    if (!tok) return tok;
    const type = tok.type;
    if (type === 'int' || type === 'float') {
      return this.exponentFollows() ? this.takeExponent(tok, tok.value) : tok;
    }
    if (type !== 'symbol') return tok;
    const first = tok.value.charCodeAt(0);
    if (first < 48 /* 0 */ || first > 57 /* 9 */) return tok;
    if (/^[0-9]+[eE][0-9]+$/.test(tok.value)) return { ...tok, type: 'float' };
    if (/^[0-9]+[eE]$/.test(tok.value)) {
      const str: string = this.str;
      const sign = str[this.index];
      if ((sign === '+' || sign === '-') && /[0-9]/.test(str[this.index + 1] ?? '')) {
        this.index -= 1; // re-read the 'e' as the start of the exponent
        this.colno -= 1;
        return this.takeExponent(tok, tok.value.slice(0, -1));
      }
    }
    return tok;
  }

  /** Whether an exponent (`e5`, `E+2`, `e-9`) starts at the current position. */
  exponentFollows(this: any): boolean {
    const str: string = this.str;
    const c = str[this.index];
    if (c !== 'e' && c !== 'E') return false;
    const n = str[this.index + 1];
    return /[0-9]/.test(n ?? '') || ((n === '+' || n === '-') && /[0-9]/.test(str[this.index + 2] ?? ''));
  }

  /** Reads the exponent at the current position onto `mantissa`: one float token. */
  takeExponent(this: any, tok: any, mantissa: string): any {
    const str: string = this.str;
    let exp = str[this.index];
    this.forward();
    if (str[this.index] === '+' || str[this.index] === '-') {
      exp += str[this.index];
      this.forward();
    }
    while (/[0-9]/.test(str[this.index] ?? '')) {
      exp += str[this.index];
      this.forward();
    }
    return { ...tok, type: 'float', value: mantissa + exp };
  }

  _parseString(this: any, delimiter: string): string {
    this.forward();
    let str = '';
    while (!this.isFinished() && this.current() !== delimiter) {
      const cur = this.current();
      if (cur !== '\\') {
        str += cur;
        this.forward();
        continue;
      }
      this.forward();
      const esc = this.current();
      if (esc in SIMPLE) {
        str += SIMPLE[esc];
        this.forward();
      } else if (esc === 'x' || esc === 'u' || esc === 'U') {
        const len = esc === 'x' ? 2 : esc === 'u' ? 4 : 8;
        const hex = this.str.slice(this.index + 1, this.index + 1 + len);
        if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === len) {
          str += String.fromCodePoint(parseInt(hex, 16));
          this.forwardN(len + 1);
        } else {
          str += `\\${esc}`;
          this.forward();
        }
      } else if (/[0-7]/.test(esc)) {
        const oct = /^[0-7]{1,3}/.exec(this.str.slice(this.index))![0];
        str += String.fromCharCode(parseInt(oct, 8));
        this.forwardN(oct.length);
      } else {
        str += `\\${esc}`;
        this.forward();
      }
    }
    this.forward();
    return str;
  }
}
