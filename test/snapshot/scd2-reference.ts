/**
 * The oracle for snapshot tests: SCD2 history computed in TypeScript, one source state at a time,
 * by the rules dbt documents, plus a seeded generator of source states that exercises them.
 *
 * The reference is written the simple way on purpose (loops over rows and versions, no SQL): it
 * shares nothing with src/snapshot except the rules.
 */
import { prng } from '../helpers/prng';

export interface SourceRow {
  id: number;
  grp: number;
  sub: string;
  status: string | null;
  amount: number | null;
  note: string;
  updated_at: string;
}

export const SOURCE_COLUMNS: (keyof SourceRow)[] = [
  'id',
  'grp',
  'sub',
  'status',
  'amount',
  'note',
  'updated_at',
];

export interface ReferenceSpec {
  strategy: 'timestamp' | 'check';
  checkCols?: 'all' | (keyof SourceRow)[];
  key: (keyof SourceRow)[];
  hardDeletes: 'ignore' | 'invalidate' | 'new_record';
}

export interface Version {
  row: SourceRow;
  updatedAt: string;
  validFrom: string;
  validTo: string | null;
  isDeleted?: boolean;
}

/** The history of one snapshot, advanced by `apply` with each source state. */
export class Scd2Reference {
  readonly versions: Version[] = [];

  constructor(readonly spec: ReferenceSpec) {}

  private keyOf(row: SourceRow): string {
    return JSON.stringify(this.spec.key.map((k) => row[k]));
  }

  /** One snapshot run over `rows` at snapshot time `now`. */
  apply(rows: SourceRow[], now: string): void {
    const { spec } = this;
    const current = new Map<string, Version>();
    for (const v of this.versions) if (v.validTo === null) current.set(this.keyOf(v.row), v);
    const seen = new Set<string>();
    const added: Version[] = [];
    const closes: [Version, string][] = [];
    for (const row of rows) {
      const key = this.keyOf(row);
      seen.add(key);
      const time = spec.strategy === 'timestamp' ? row.updated_at : now;
      const cur = current.get(key);
      if (cur && !this.changed(cur, row)) continue;
      if (cur) closes.push([cur, time]);
      added.push({
        row: { ...row },
        updatedAt: time,
        validFrom: time,
        validTo: null,
        ...this.deletedFlag(false),
      });
    }
    if (spec.hardDeletes !== 'ignore') {
      for (const [key, cur] of current) {
        if (seen.has(key) || cur.isDeleted) continue;
        closes.push([cur, now]);
        if (spec.hardDeletes === 'new_record') {
          added.push({ row: { ...cur.row }, updatedAt: now, validFrom: now, validTo: null, isDeleted: true });
        }
      }
    }
    // Decided against the state before the run, then applied, as the snapshot does.
    for (const [version, validTo] of closes) version.validTo = validTo;
    this.versions.push(...added);
  }

  private deletedFlag(deleted: boolean): Partial<Version> {
    return this.spec.hardDeletes === 'new_record' ? { isDeleted: deleted } : {};
  }

  private changed(cur: Version, row: SourceRow): boolean {
    if (cur.isDeleted) return true;
    if (this.spec.strategy === 'timestamp') return cur.validFrom < row.updated_at;
    const cols = this.spec.checkCols === 'all' || !this.spec.checkCols ? SOURCE_COLUMNS : this.spec.checkCols;
    return cols.some((c) => cur.row[c] !== row[c]);
  }
}

/** `2024-03-01 12:00:00` plus `minutes`, as Postgres prints a timestamp. */
export function timestamp(minutes: number): string {
  const base = Date.UTC(2024, 2, 1, 12, 0, 0);
  return new Date(base + minutes * 60_000).toISOString().replace('T', ' ').slice(0, 19);
}

export const DAY = 24 * 60;

/**
 * Source states, one per snapshot run: the initial rows, then steps of real changes, changes to
 * columns a check list ignores, changes that do not bump `updated_at`, bumps that change nothing,
 * values set to and from null, deletes, re-inserts of deleted keys, new keys, and an empty step.
 * Step t is snapshotted at `timestamp(t * DAY)`; its changes carry earlier `updated_at` values.
 */
export function sourceStates(seed: number, steps: number): SourceRow[][] {
  const random = prng(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  const statuses = ['new', 'paid', 'shipped', null];
  const rows = new Map<number, SourceRow>();
  const deleted = new Map<number, SourceRow>();
  let nextId = 1;
  const make = (t: number): SourceRow => {
    const id = nextId++;
    // Composite key (grp, sub): each part repeats across rows, the pair never does.
    return {
      id,
      grp: Math.floor(id / 3),
      sub: `s${id % 3}`,
      status: pick(statuses),
      amount: random() < 0.2 ? null : Math.floor(random() * 100),
      note: 'n0',
      updated_at: timestamp(t * DAY - 60 - Math.floor(random() * 300)),
    };
  };
  for (let i = 0; i < 12; i++) {
    const row = make(0);
    rows.set(row.id, row);
  }
  const states: SourceRow[][] = [[...rows.values()].map((r) => ({ ...r }))];
  for (let t = 1; t <= steps; t++) {
    const bumped = () => timestamp(t * DAY - 60 - Math.floor(random() * 300));
    const live = () => [...rows.values()];
    if (t !== 4) {
      // Real changes to the check columns (sometimes to or from null).
      for (let i = 0; i < 2; i++) {
        const r = pick(live());
        if (random() < 0.5) r.status = pick(statuses.filter((s) => s !== r.status));
        else r.amount = r.amount === null ? Math.floor(random() * 100) : random() < 0.3 ? null : r.amount + 1;
        r.updated_at = bumped();
      }
      // A change outside check_cols [status, amount], with updated_at bumped.
      const noted = pick(live());
      noted.note = `n${t}`;
      noted.updated_at = bumped();
      // A change without an updated_at bump: only `check_cols: all` sees it.
      pick(live()).note = `silent${t}`;
      // An updated_at bump with no other change: only the timestamp strategy (and check all) see it.
      pick(live()).updated_at = bumped();
      // A delete, a re-insert of an earlier delete with new values, a new key.
      const gone = pick(live());
      rows.delete(gone.id);
      deleted.set(gone.id, gone);
      const back = [...deleted.values()].find((d) => d.id !== gone.id);
      if (back) {
        deleted.delete(back.id);
        back.status = pick(statuses);
        back.updated_at = bumped();
        rows.set(back.id, back);
      }
      const fresh = make(t);
      rows.set(fresh.id, fresh);
    }
    states.push([...rows.values()].map((r) => ({ ...r })));
  }
  return states;
}
