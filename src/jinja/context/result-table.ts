/**
 * The result of `run_query` / `load_result(...).table`: a stand-in for the agate Table dbt returns.
 *
 * dbt code reads results in a handful of agate shapes: `table.columns[0].values()`,
 * `table.columns['name'].values()`, `table.rows`, `for row in table`, `row[0]`, `row['name']`,
 * `table.column_names`, `table.print_table()`, `table | length`. This class supports exactly those,
 * so templates written against agate work unchanged.
 */

/** One row: indexable by position (`row[0]`) and by column name (`row['name']`, `row.name`). */
export type ResultRow = unknown[] & Record<string, unknown>;

export class ResultColumn {
  constructor(
    readonly name: string,
    private readonly data: unknown[],
  ) {}

  values(): unknown[] {
    return this.data.slice();
  }

  /** agate's `column.values_distinct()`. */
  values_distinct(): unknown[] {
    return [...new Set(this.data)];
  }

  get length(): number {
    return this.data.length;
  }
}

/** `table.columns`: an array of columns that can also be indexed by column name. */
export type ResultColumns = ResultColumn[] & Record<string, ResultColumn>;

export class ResultTable {
  readonly column_names: string[];
  readonly rows: ResultRow[];
  readonly columns: ResultColumns;

  /** `numericColumns`: columns the driver returns as strings (bigint, numeric) that templates expect as numbers. */
  constructor(
    columnNames: string[],
    rawRows: Record<string, unknown>[],
    numericColumns: Set<string> = new Set(),
  ) {
    this.column_names = columnNames;
    this.rows = rawRows.map((raw) => toRow(columnNames, raw, numericColumns));
    const columns = columnNames.map(
      (name, i) =>
        new ResultColumn(
          name,
          this.rows.map((row) => row[i]),
        ),
    ) as ResultColumns;
    for (const column of columns) {
      if (!/^\d+$/.test(column.name)) columns[column.name] = column;
    }
    this.columns = columns;
  }

  get length(): number {
    return this.rows.length;
  }

  /** `for row in table` iterates rows. */
  [Symbol.iterator](): Iterator<ResultRow> {
    return this.rows[Symbol.iterator]();
  }

  /** agate's `print_table()`: dbt code calls it for debugging; MartQL logs nothing and returns ''. */
  print_table(): string {
    return '';
  }

  /** agate's `table.select(['a', 'b'])`. */
  select(names: string[]): ResultTable {
    return new ResultTable(
      names,
      this.rows.map((row) => Object.fromEntries(names.map((n) => [n, row[n]]))),
    );
  }

  /** Plain data for `tojson` and for TypeScript callers. */
  toJSON(): Record<string, unknown>[] {
    return this.rows.map((row) => Object.fromEntries(this.column_names.map((n, i) => [n, row[i]])));
  }
}

function toRow(columnNames: string[], raw: Record<string, unknown>, numeric: Set<string>): ResultRow {
  const row = columnNames.map((name) => {
    const value = raw[name] ?? null;
    return numeric.has(name) && typeof value === 'string' ? Number(value) : value;
  }) as ResultRow;
  columnNames.forEach((name, i) => {
    // A column named like an array method ("length", "map") must not shadow the method.
    if (!/^\d+$/.test(name) && !(name in Array.prototype)) row[name] = row[i];
  });
  return row;
}
