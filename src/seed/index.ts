/**
 * The public API of seed loading; everything outside `seed/` imports from here.
 */
export { loadSeed, type SeedLoadKind, type SeedLoadRequest, type SeedLoadResult } from './load-seed';
export { inferColumnTypes, type SeedColumn } from './infer-types';
export { parseCsv, parseCsvStream, type ParseCsvOptions } from './parse-csv';
export { CsvScanner, CsvSyntaxError, type CsvRecordView, type CsvScannerOptions } from './csv-scanner';
export type { CsvInput } from './seed-source';
