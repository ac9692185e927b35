/**
 * Seed type inference: every non-empty value of a column is classified (`value-kind.ts`) and the
 * kinds are joined, so one stray value anywhere in the file turns a column into text instead of
 * failing the load. Empty values are NULLs and do not vote; a column with no values is text.
 *
 * `KindSniffer` does this over scanner records without building strings; `inferColumnTypes` is the
 * same rule over string rows.
 */
import { type CsvRecordView, FIELD_ESCAPED } from './csv-scanner';
import { recordFields } from './parse-csv';
import { classify, joinKinds, Kind, kindType } from './value-kind';

// Module-local copies: the hot loop below must not go through another module's export object
// (some loaders compile imports to getters, which cost more than the classification itself).
const NONE = Kind.None;
const TEXT = Kind.Text;
const ESCAPED = FIELD_ESCAPED;
const classifyValue = classify;
const join = joinKinds;

export interface SeedColumn {
  name: string;
  type: string;
}

/** Collects the header (record 0) and the kind of every column from the records after it. */
export class KindSniffer {
  header: string[] = [];
  kinds: Kind[] = [];
  /** Columns whose type is already known (from `column_types`) are not classified. */
  private skip: boolean[] = [];

  constructor(private readonly isOverridden: (column: string) => boolean = () => false) {}

  readonly onRecord = (r: CsvRecordView): void => {
    if (r.index === 0) {
      this.header = recordFields(r);
      this.kinds = this.header.map(() => NONE);
      this.skip = this.header.map((name) => this.isOverridden(name));
      return;
    }
    const { buf, starts, ends, flags, count } = r;
    const kinds = this.kinds;
    for (let i = 0; i < count; i++) {
      const kind = kinds[i];
      if (kind === TEXT || this.skip[i]) continue;
      const s = starts[i];
      const e = ends[i];
      if (s === e) continue; // NULL
      // A doubled quote puts a quote in the value, which no typed value holds.
      kinds[i] = flags[i] & ESCAPED ? TEXT : join(kind, classifyValue(buf, s, e));
    }
  };
}

/** The type of each column from all of its values (empty values are NULL and ignored). */
export function inferColumnTypes(header: string[], sampleRows: Iterable<string[]>): SeedColumn[] {
  const kinds = header.map(() => Kind.None);
  for (const row of sampleRows) {
    for (let i = 0; i < header.length && i < row.length; i++) {
      const value = row[i];
      if (value === '' || kinds[i] === Kind.Text) continue;
      const bytes = Buffer.from(value, 'utf8');
      kinds[i] = joinKinds(kinds[i], classify(bytes, 0, bytes.length));
    }
  }
  return header.map((name, i) => ({ name, type: kindType(kinds[i]) }));
}
