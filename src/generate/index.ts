/** The data generator's public API: `generate` and `simulate` InnovateCorp's raw sources. */
export {
  generate,
  DEFAULT_START_DATE,
  type GenerateOptions,
  type GeneratorSummary,
  type RowCounts,
} from './generate';
export { simulate, type SimulateOptions, type SimulateSummary } from './simulate';
export { DEFAULT_PARAMS, type TrueParams, type BgNbdParams, type GammaGammaParams } from './params';
export { terminalProgressBar, type ProgressEvent, type ProgressListener } from './progress';
export { RAW_TABLES, PARAMS_TABLE, type RawTable } from './tables';
