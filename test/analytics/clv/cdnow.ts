/**
 * Loads the CDNOW reference data (../shared/data/cdnow beside the repository; see its README for
 * where each file comes from and which published results it reproduces).
 */
import * as fs from 'fs';
import * as path from 'path';

export const CDNOW_DIR = path.resolve(__dirname, '../../../../shared/data/cdnow');

function csvRows(file: string): string[][] {
  const [, ...lines] = fs.readFileSync(path.join(CDNOW_DIR, file), 'utf8').trim().split(/\r?\n/);
  return lines.map((line) => line.split(','));
}

/** `cdnow_customers_summary.csv`: ID, frequency (x), recency (t_x), T, in weeks. */
export function loadCdnowSummary(): { id: string; x: number; tx: number; T: number }[] {
  return csvRows('cdnow_customers_summary.csv').map(([id, x, tx, T]) => ({
    id,
    x: Number(x),
    tx: Number(tx),
    T: Number(T),
  }));
}

/** `cdnow_customers_summary_with_transactions.csv`: ID, x, t_x, T, zbar. */
export function loadCdnowWithSpend(): { id: string; x: number; tx: number; T: number; zbar: number }[] {
  return csvRows('cdnow_customers_summary_with_transactions.csv').map(([id, x, tx, T, zbar]) => ({
    id,
    x: Number(x),
    tx: Number(tx),
    T: Number(T),
    zbar: Number(zbar),
  }));
}

/**
 * `CDNOW_sample.txt`: whitespace-separated master id, sample id (the ID of the summary files),
 * date YYYYMMDD, CDs bought, dollar value.
 */
export function loadCdnowTransactions(): { customerId: string; date: string; value: number }[] {
  return fs
    .readFileSync(path.join(CDNOW_DIR, 'CDNOW_sample.txt'), 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((line) => {
      const [, sampleId, date, , value] = line.trim().split(/\s+/);
      return { customerId: String(Number(sampleId)), date, value: Number(value) };
    });
}
