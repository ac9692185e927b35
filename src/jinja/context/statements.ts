/**
 * `run_query`, `{% call statement(...) %}`, `load_result` and `adapter.execute`: SQL from templates.
 *
 * Templates branch on query results mid-render, so these run synchronously through the warehouse's
 * worker bridge (`Session.querySync`). When `execute` is false (the parse phase) nothing runs and the
 * functions return `None`, as in dbt: templates guard result use with `{% if execute %}`.
 */
import { MartqlError } from '../../errors';
import type { QueryResult, Session } from '../../warehouse';
import { splitArgs } from '../engine';
import { ResultTable } from './result-table';

/** Postgres type oids the driver returns as strings but templates expect as numbers (int8, numeric). */
const NUMERIC_OIDS = new Set([20, 1700]);

export interface StatementResult {
  response: { code: string; rows_affected: number; _message: string };
  data: unknown[][];
  table: ResultTable | null;
}

/** Every SQL statement a render ran, in order, for the run log and `rows affected`. */
export interface ExecutedStatement {
  name: string;
  sql: string;
  rowCount: number;
  command: string;
  /** How long the statement took, in milliseconds. */
  ms: number;
}

export function toResultTable(result: QueryResult): ResultTable {
  const names = result.fields.map((f) => f.name);
  const numeric = new Set(result.fields.filter((f) => NUMERIC_OIDS.has(f.dataTypeID)).map((f) => f.name));
  return new ResultTable(names, result.rows, numeric);
}

function toStatementResult(result: QueryResult, fetch: boolean): StatementResult {
  const table = fetch ? toResultTable(result) : null;
  return {
    response: {
      code: result.command,
      rows_affected: result.rowCount,
      _message: `${result.command} ${result.rowCount}`,
    },
    data: table ? table.rows.map((row) => [...row]) : [],
    table,
  };
}

export class StatementRunner {
  private readonly results = new Map<string, StatementResult>();
  readonly executed: ExecutedStatement[] = [];

  constructor(
    private readonly session: Session | undefined,
    private readonly execute: boolean,
  ) {}

  /** The functions templates call, ready to put in a render context. */
  contextFunctions(): Record<string, unknown> {
    return {
      run_query: (sql: unknown) => this.runQuery(sql),
      statement: (...raw: unknown[]) => this.statement(raw),
      load_result: (name: string) => this.results.get(name) ?? null,
      store_result: (name: string, response: unknown, agateTable?: ResultTable) => {
        this.results.set(name, {
          response: response as StatementResult['response'],
          data: [],
          table: agateTable ?? null,
        });
        return '';
      },
      // A materialization that runs several statements reports their total as 'main' this way.
      store_raw_result: (...raw: unknown[]) => {
        const { args, kwargs } = splitArgs(raw);
        const [name, message, code, rowsAffected, table] = [
          args[0] ?? kwargs.name,
          args[1] ?? kwargs.message,
          args[2] ?? kwargs.code,
          args[3] ?? kwargs.rows_affected,
          args[4] ?? kwargs.agate_table,
        ];
        const rows = rowsAffected === undefined || rowsAffected === null ? -1 : Number(rowsAffected);
        this.results.set(String(name), {
          response: {
            code: code === undefined || code === null ? '' : String(code),
            rows_affected: rows,
            _message: message === undefined || message === null ? '' : String(message),
          },
          data: [],
          table: table instanceof ResultTable ? table : null,
        });
        return '';
      },
    };
  }

  /** What `load_result(name)` answers; undefined when no statement of that name ran. */
  result(name: string): StatementResult | undefined {
    return this.results.get(name);
  }

  /** Runs SQL on the render's session, logged like a statement (DDL the adapter issues itself). */
  runSql(name: string, sql: string): QueryResult | undefined {
    return this.run(name, sql);
  }

  /** `adapter.execute(sql, auto_begin=False, fetch=False)` returns `(response, table)`. */
  adapterExecute(raw: unknown[]): unknown[] {
    const { args, kwargs } = splitArgs(raw);
    const fetch = Boolean(kwargs.fetch ?? args[2] ?? false);
    const result = this.run('adapter.execute', String(args[0] ?? kwargs.sql ?? ''));
    if (!result) return [null, null];
    const converted = toStatementResult(result, fetch);
    return [converted.response, converted.table ?? new ResultTable([], [])];
  }

  private runQuery(sql: unknown): ResultTable | null {
    const result = this.run('run_query', String(sql));
    return result ? toResultTable(result) : null;
  }

  private statement(raw: unknown[]): string {
    const { args, kwargs } = splitArgs(raw);
    const name = String(args[0] ?? kwargs.name ?? 'statement');
    const fetch = Boolean(kwargs.fetch_result ?? args[1] ?? false);
    const caller = kwargs.caller;
    if (!this.execute) return '';
    if (typeof caller !== 'function') {
      throw new MartqlError(
        'JINJA_RENDER',
        `statement('${name}') must be used as {% call statement('${name}') %}...{% endcall %}`,
      );
    }
    const result = this.run(name, String(caller()));
    if (result) this.results.set(name, toStatementResult(result, fetch));
    return '';
  }

  private run(name: string, sql: string): QueryResult | undefined {
    if (!this.execute) return undefined;
    if (!this.session) {
      throw new MartqlError('JINJA_RENDER', `${name} needs a database connection, and this render has none`);
    }
    // A statement body may hold several statements (dbt code does this); `exec` runs them all and
    // answers with the last one's result.
    const started = performance.now();
    const result = this.session.execSync(sql);
    this.executed.push({
      name,
      sql,
      rowCount: result.rowCount,
      command: result.command,
      ms: performance.now() - started,
    });
    return result;
  }
}
