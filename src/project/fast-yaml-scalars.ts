/**
 * The scalar rules shared by the fast YAML reader's block and flow parts: how plain text resolves
 * (YAML 1.2 core schema plus PyYAML's yes/no/on/off booleans, as `yaml-file.ts` configures the exact
 * reader), how quoted text unescapes, and the `Unsupported` signal that hands a file to the exact
 * reader.
 */

/** Thrown when the text is outside the subset; the caller falls back to the exact parser. */
export class Unsupported extends Error {}

export const fail = (): never => {
  throw new Unsupported();
};

const BOOL_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const BOOL_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const NULL = /^(?:~|null|Null|NULL)$/;
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INF = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN = /^\.(?:nan|NaN|NAN)$/;
const KEYWORD_START = new Set(['~', 'n', 'N', 'y', 'Y', 't', 'T', 'f', 'F', 'o', 'O']);

/** Resolves a plain scalar as the exact path does. */
export function resolvePlain(text: string): unknown {
  if (text === '') return null;
  const c = text.charCodeAt(0);
  // Only text starting with a digit, sign, dot, `~` or a keyword's first letter can be a non-string.
  if (text.length <= 5 && KEYWORD_START.has(text[0])) {
    if (NULL.test(text)) return null;
    if (BOOL_TRUE.test(text)) return true;
    if (BOOL_FALSE.test(text)) return false;
  }
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (INT.test(text) || FLOAT.test(text)) return Number(text);
    if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
    if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
    if (INF.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (NAN.test(text)) return NaN;
  }
  return text;
}

/** The value of a quoted scalar from `at` (opening quote) to `close` (past the closing quote). */
export function unquote(text: string, at: number, close: number): string {
  const inner = text.slice(at + 1, close - 1);
  if (text[at] === "'") return inner.replace(/''/g, "'");
  if (!inner.includes('\\')) return inner;
  return inner.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'e':
        return '\x1b';
      case '"':
      case '\\':
      case '/':
      case ' ':
        return e;
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(e.slice(1), 16));
      default:
        return fail();
    }
  });
}
