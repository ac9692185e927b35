/**
 * Customer-lifetime-value statistics: BG/NBD for how often customers will buy, Gamma-Gamma for
 * how much they spend, their product discounted as CLV, and the transaction summary both take.
 * This file is the public surface of the module; the other files may change without notice.
 */
export {
  fitBgNbd,
  bgNbdLogLikelihood,
  bgNbdStandardErrors,
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesUnconditional,
  bgNbdProbabilityAlive,
  type BgNbdParams,
  type BgNbdCustomer,
  type BgNbdFit,
  type FitBgNbdOptions,
} from './bg-nbd';
export {
  fitGammaGamma,
  gammaGammaLogLikelihood,
  gammaGammaExpectedSpend,
  gammaGammaStandardErrors,
  type GammaGammaParams,
  type GammaGammaCustomer,
  type GammaGammaFit,
  type FitGammaGammaOptions,
} from './gamma-gamma';
export {
  expectedClv,
  discountedExpectedPurchases,
  monthlyDiscountRate,
  DAYS_PER_MONTH,
  type ClvCustomer,
  type ClvOptions,
} from './clv';
export {
  summarizeTransactions,
  type Transaction,
  type SummarizeOptions,
  type CustomerSummary,
  type TimeUnit,
} from './summarize';
export type { MinimizeOptions } from './optimize';
