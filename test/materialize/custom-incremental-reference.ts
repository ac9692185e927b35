/**
 * What the example `custom_incremental` materialization must leave in its table, computed in
 * TypeScript from the sequence of source states, and a seeded generator of such sequences.
 *
 * The rules, per run: a key the table lacks is inserted; a row whose source version has a newer
 * `_updated_at` takes the source's values, and so does a deleted row whose key is back (it is
 * undeleted, whatever its `_updated_at`); any other row keeps its values; a row whose key the
 * source no longer has is marked deleted, once.
 */
export interface SourceRow {
  id: number;
  grp: number;
  name: string;
  amount: number;
  /** `_updated_at`, in minutes after 2024-01-01. */
  minutes: number;
}

export interface ExpectedRow extends SourceRow {
  deleted: boolean;
}

export interface RuleCounts {
  inserted: number;
  updatedNewer: number;
  ignoredOlder: number;
  deleted: number;
  undeleted: number;
}

export class SoftDeleteReference {
  private readonly table = new Map<string, ExpectedRow & { deletedIn: number | null }>();
  /** How often each rule applied over all runs, so a test can check the scenario covered them. */
  readonly counts: RuleCounts = { inserted: 0, updatedNewer: 0, ignoredOlder: 0, deleted: 0, undeleted: 0 };

  constructor(private readonly keys: readonly ('id' | 'grp')[]) {}

  keyOf(row: Pick<SourceRow, 'id' | 'grp'>): string {
    return this.keys.map((k) => row[k]).join('|');
  }

  /** Applies run `run` over `source`; returns the rows it changed (inserted, updated, (un)deleted). */
  apply(source: readonly SourceRow[], run: number): { changed: number } {
    let changed = 0;
    const present = new Set<string>();
    for (const row of source) {
      const key = this.keyOf(row);
      present.add(key);
      const current = this.table.get(key);
      const replace = () => this.table.set(key, { ...row, deleted: false, deletedIn: null });
      if (!current) {
        replace();
        this.counts.inserted += 1;
      } else if (current.deleted) {
        replace();
        this.counts.undeleted += 1;
      } else if (row.minutes > current.minutes) {
        replace();
        this.counts.updatedNewer += 1;
      } else {
        if (row.name !== current.name || row.amount !== current.amount || row.grp !== current.grp)
          this.counts.ignoredOlder += 1;
        continue;
      }
      changed += 1;
    }
    for (const [key, row] of this.table) {
      if (present.has(key) || row.deleted) continue;
      this.table.set(key, { ...row, deleted: true, deletedIn: run });
      this.counts.deleted += 1;
      changed += 1;
    }
    return { changed };
  }

  /** The table's rows, ordered by id then grp. */
  rows(): ExpectedRow[] {
    return [...this.table.values()]
      .map(({ deletedIn: _d, ...row }) => row)
      .sort((a, b) => a.id - b.id || a.grp - b.grp);
  }

  /** The run that soft-deleted the row with this key, or null when it is not deleted. */
  deletedIn(row: Pick<SourceRow, 'id' | 'grp'>): number | null {
    return this.table.get(this.keyOf(row))?.deletedIn ?? null;
  }
}

/**
 * `count` source states. With the key `id` alone, `grp` is an ordinary column that updates change;
 * with the key (`grp`, `id`), ids repeat across groups and updates keep the group.
 */
export function sourceSteps(random: () => number, count: number, compositeKey: boolean): SourceRow[][] {
  const int = (n: number) => Math.floor(random() * n);
  const keyOf = (r: SourceRow) => `${r.grp}|${r.id}`;
  let nextId = 1;
  let tick = 1000;
  const newRow = (): SourceRow => {
    const id = compositeKey ? 1 + int(nextId + 3) : nextId;
    nextId += 1;
    return { id, grp: 1 + int(3), name: `n${int(1000)}`, amount: int(500), minutes: tick + int(50) };
  };
  const current = new Map<string, SourceRow>();
  const removed = new Map<string, SourceRow>();
  const add = (row: SourceRow) => {
    if (!current.has(keyOf(row)) && !removed.has(keyOf(row))) current.set(keyOf(row), row);
  };
  for (let i = 0; i < 12; i++) add(newRow());

  const steps: SourceRow[][] = [];
  for (let step = 0; step < count; step++) {
    if (step > 0) {
      tick += 100;
      for (const [key, row] of [...current]) {
        const r = random();
        const changed = { ...row, name: `n${int(1000)}`, amount: int(500) };
        if (!compositeKey) changed.grp = 1 + int(3);
        if (r < 0.15) {
          current.delete(key);
          removed.set(key, row);
        } else if (r < 0.35) current.set(key, { ...changed, minutes: tick + int(50) });
        else if (r < 0.45) current.set(key, { ...changed, minutes: row.minutes - 1 - int(50) });
        else if (r < 0.5) current.set(key, { ...changed, minutes: row.minutes });
      }
      for (const [key, row] of [...removed]) {
        if (random() >= 0.35) continue;
        removed.delete(key);
        // Back with a newer or an older version: undeleted either way.
        const minutes = random() < 0.5 ? tick + int(50) : row.minutes - 1 - int(50);
        current.set(key, { ...row, name: `n${int(1000)}`, minutes });
      }
      for (let n = 1 + int(3); n > 0; n--) add(newRow());
    }
    steps.push([...current.values()].map((r) => ({ ...r })));
  }
  return steps;
}
