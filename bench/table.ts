/** The one table every benchmark prints: what, MartQL's figure, the baseline's, the ratio, the target. */
export interface BenchRow {
  what: string;
  martql: string;
  baseline: string;
  /** MartQL divided by the baseline (lower is better for times); NaN when there is none (printed "—"). */
  ratio: number;
  target: string;
}

export function printTable(title: string, rows: BenchRow[]): void {
  const header = ['what', 'MartQL', 'baseline (same run)', 'ratio', 'target'];
  const cells = rows.map((r) => [
    r.what,
    r.martql,
    r.baseline,
    Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}x` : '—',
    r.target,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n## ${title}\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
}
