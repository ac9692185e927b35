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

export class PyTokenizer extends (Tokenizer as new (src: string, opts: object) => any) {
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
