/**
 * The Gamma-Gamma model of spend per transaction (Fader & Hardie, "The Gamma-Gamma Model of
 * Monetary Value", 2013, after Colombo & Jiang 1999): a customer's transaction values are
 * Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, independent of the purchase process. A
 * customer is summarized by x (number of transactions averaged) and zbar (their mean value).
 *
 * The fit maximizes the likelihood of the observed means, whose marginal density is
 *   f(zbar | p, q, γ; x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q · zbar^(px−1) · x^(px) / (γ + x·zbar)^(px+q)
 * (the note's marginal distribution of zbar, obtained by integrating ν out of the Gamma(px, νx)
 * density of the mean). The prediction is the posterior mean of the customer's average spend,
 *   E[M | p, q, γ; x, zbar] = p (γ + x·zbar) / (p x + q − 1),
 * a weighted average of the population mean p γ / (q − 1) and zbar; with x = 0 it is the
 * population mean itself.
 */
import { logParameterStandardErrors, minimize, type MinimizeOptions } from './optimize';
import { CompensatedSum, logGamma } from './special-functions';

// Module-scope aliases for the hot loops: inside a vm context (jest's test environment) every
// lookup of the global `Math` goes through the context's interceptor and costs ~8x the arithmetic.
const { exp, log } = Math;

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface GammaGammaCustomer {
  /** Number of transactions behind zbar (repeat purchases in the BG/NBD convention). */
  x: number;
  /** Mean value of those transactions; ignored when x = 0. */
  zbar: number;
}

export interface GammaGammaFit extends GammaGammaParams {
  logLikelihood: number;
  /** Customers with x > 0 that the fit used. */
  customers: number;
  iterations: number;
  converged: boolean;
}

export interface FitGammaGammaOptions extends MinimizeOptions {
  /** Starting point; defaults to p = q = gamma = 1. */
  initial?: GammaGammaParams;
}

/** Σ ln f(zbar | p, q, γ; x) over customers with x > 0 (customers with x = 0 carry no spend). */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  customers: readonly GammaGammaCustomer[],
): number {
  const { p, q, gamma } = params;
  const lgQ = logGamma(q);
  const qLogGamma = q * log(gamma);
  // The log-gamma terms depend on x only; x takes few values, so compute them once per x.
  const byX = new Map<number, number>();
  const total = new CompensatedSum();
  for (const { x, zbar } of customers) {
    if (x === 0) continue;
    const px = p * x;
    let constant = byX.get(x);
    if (constant === undefined) {
      constant = logGamma(px + q) - logGamma(px) - lgQ + qLogGamma + px * log(x);
      byX.set(x, constant);
    }
    total.add(constant + (px - 1) * log(zbar) - (px + q) * log(gamma + x * zbar));
  }
  return total.value;
}

/**
 * Maximum-likelihood fit over ln p, ln q, ln γ. Customers with x = 0 are skipped: their zbar is
 * undefined and the model says nothing about them until they buy again.
 */
export function fitGammaGamma(
  customers: readonly GammaGammaCustomer[],
  options: FitGammaGammaOptions = {},
): GammaGammaFit {
  const used = customers.filter((c) => c.x !== 0);
  for (const { x, zbar } of customers) {
    if (!(Number.isInteger(x) && x >= 0)) throw new RangeError(`x must be a non-negative integer, got ${x}`);
    if (x > 0 && !(zbar > 0)) throw new RangeError(`zbar must be positive when x > 0, got ${zbar}`);
  }
  if (used.length === 0) throw new RangeError('fitGammaGamma needs at least one customer with x > 0');
  const { p, q, gamma } = options.initial ?? { p: 1, q: 1, gamma: 1 };
  const objective = (v: readonly number[]) =>
    -gammaGammaLogLikelihood({ p: exp(v[0]), q: exp(v[1]), gamma: exp(v[2]) }, used);
  const result = minimize(objective, [log(p), log(q), log(gamma)], options);
  return {
    p: exp(result.x[0]),
    q: exp(result.x[1]),
    gamma: exp(result.x[2]),
    logLikelihood: -result.value,
    customers: used.length,
    iterations: result.iterations,
    converged: result.converged,
  };
}

/**
 * Asymptotic standard errors of (p, q, γ) from the observed information at `params`
 * (see `logParameterStandardErrors`); undefined when `params` is not a maximum.
 */
export function gammaGammaStandardErrors(
  params: GammaGammaParams,
  customers: readonly GammaGammaCustomer[],
): GammaGammaParams | undefined {
  const objective = (v: readonly number[]) =>
    -gammaGammaLogLikelihood({ p: exp(v[0]), q: exp(v[1]), gamma: exp(v[2]) }, customers);
  const se = logParameterStandardErrors(objective, [params.p, params.q, params.gamma]);
  return se && { p: se[0], q: se[1], gamma: se[2] };
}

/**
 * E[M | x, zbar] = p (γ + x·zbar) / (p x + q − 1); for x = 0 this is p γ / (q − 1). The
 * population mean exists only for q > 1, so q <= 1 is rejected rather than returning a negative
 * or infinite spend.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, x: number, zbar: number): number {
  const { p, q, gamma } = params;
  if (!(p > 0 && q > 1 && gamma > 0)) {
    throw new RangeError(`expected spend needs p > 0, q > 1, gamma > 0; got p=${p} q=${q} gamma=${gamma}`);
  }
  if (!(x >= 0)) throw new RangeError(`x must be >= 0, got ${x}`);
  if (x === 0) return (p * gamma) / (q - 1);
  return (p * (gamma + x * zbar)) / (p * x + q - 1);
}
