/**
 * One error hierarchy for all of MartQL.
 *
 * Every error a user can cause (bad YAML, a Jinja syntax error, an unknown ref, a cycle, a failing
 * SQL statement) is a `MartqlError` with a stable `code`, the source location when there is one, and
 * the underlying `cause`. The CLI prints it with `formatError`; GraphQL maps `code` to
 * `extensions.code`.
 */

export type ErrorCode =
  | 'PROJECT_CONFIG' // dbt_project.yml / packages.yml / selectors are malformed
  | 'YAML_SYNTAX' // a YAML file does not parse
  | 'YAML_SCHEMA' // a YAML file parses but holds something MartQL cannot use
  | 'JINJA_SYNTAX' // a template does not parse
  | 'JINJA_RENDER' // a template fails while rendering
  | 'JINJA_UNSUPPORTED' // a Jinja construct MartQL does not implement
  | 'COMPILER_ERROR' // exceptions.raise_compiler_error and kin
  | 'UNKNOWN_REF' // ref() to a model that does not exist
  | 'UNKNOWN_SOURCE' // source() to a source that does not exist
  | 'UNKNOWN_MACRO' // a call to a macro that does not exist
  | 'MISSING_VAR' // var() with no value and no default
  | 'MISSING_ENV_VAR' // env_var() with no value and no default
  | 'DUPLICATE_NODE' // two resources with one name
  | 'CYCLE' // the DAG has a cycle
  | 'SELECTOR' // a --select / --exclude expression is malformed
  | 'DATABASE' // the warehouse rejected a statement
  | 'CONTRACT' // a built relation does not match its declared contract
  | 'SEED' // a CSV seed is malformed
  | 'INTERNAL'; // a bug in MartQL

export interface SourceLocation {
  /** Path relative to the project root where possible. */
  file: string;
  /** 1-based line, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
}

export interface MartqlErrorOptions {
  location?: SourceLocation;
  cause?: unknown;
  /** A short suggestion shown after the message (e.g. "did you mean 'stg_orders'?"). */
  hint?: string;
  /** Extra structured data kept for tools (the SQLSTATE of a database error, the cycle path, ...). */
  data?: Record<string, unknown>;
}

export class MartqlError extends Error {
  readonly code: ErrorCode;
  readonly location?: SourceLocation;
  readonly hint?: string;
  readonly data?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: MartqlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MartqlError';
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
    this.data = options.data;
  }

  /** `models/x.sql:12:7`, or just the file when no line is known. */
  get where(): string | undefined {
    if (!this.location) return undefined;
    const { file, line, column } = this.location;
    return [file, line, line !== undefined ? column : undefined].filter((p) => p !== undefined).join(':');
  }

  /** A copy of this error located in a file, keeping an existing location. */
  at(location: SourceLocation): MartqlError {
    if (this.location) return this;
    return new MartqlError(this.code, this.message, {
      location,
      cause: this.cause,
      hint: this.hint,
      data: this.data,
    });
  }
}

/** Reads one source line for an excerpt; returns undefined when the file or line is unreadable. */
export type LineReader = (file: string, line: number) => string | undefined;

/**
 * Formats any thrown value as one readable block: `error[CODE] file:line:col: message`, the source
 * line with a caret when available, then the hint. Never throws.
 */
export function formatError(err: unknown, readLine?: LineReader): string {
  try {
    if (!(err instanceof MartqlError)) {
      const msg = err instanceof Error ? err.message : String(err);
      return `error: ${msg}`;
    }
    const where = err.where ? `${err.where}: ` : '';
    const lines = [`error[${err.code}] ${where}${err.message}`];
    const loc = err.location;
    if (loc?.line !== undefined && readLine) {
      const text = readLine(loc.file, loc.line);
      if (text !== undefined) {
        const gutter = String(loc.line);
        lines.push(`  ${gutter} | ${text}`);
        if (loc.column !== undefined) {
          lines.push(`  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, loc.column - 1))}^`);
        }
      }
    }
    if (err.hint) lines.push(`  hint: ${err.hint}`);
    return lines.join('\n');
  } catch {
    return 'error: (the error could not be formatted)';
  }
}

/** The closest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
