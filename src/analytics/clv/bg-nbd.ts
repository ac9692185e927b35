/**
 * The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy
 * Way", Marketing Science 24(2), 275–284): while alive a customer buys as a Poisson process with
 * rate λ ~ Gamma(r, α); after each repeat purchase the customer drops out with probability
 * p ~ Beta(a, b). A customer's history is summarized by x (repeat purchases), t_x (time of the
 * last one since the first purchase) and T (time observed since the first purchase).
 *
 * Here: the log-likelihood (FHL 2005 eq. 6) in the A1..A4 form of Fader & Hardie's note
 * "Overcoming the BG/NBD Model's #NUM! Error Problem" (2013), with log-sum-exp for A3/A4;
 * maximum likelihood over log-parameters; the expected number of purchases in (0, t] (eq. 7) and
 * in the next t periods given a history (eq. 10); and P(alive | history), derived in Fader, Hardie
 * & Lee's note "Computing P(alive) Using the BG/NBD Model" (2008) from the same likelihood.
 */
import { logParameterStandardErrors, minimize, type MinimizeOptions } from './optimize';
import { CompensatedSum, hyp2f1, log1pExp, logGamma, logSumExp } from './special-functions';

// Module-scope aliases for the hot loops: inside a vm context (jest's test environment) every
// lookup of the global `Math` goes through the context's interceptor and costs ~8x the arithmetic.
const { exp, log } = Math;

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdCustomer {
  /** Repeat purchases (non-negative integer). */
  x: number;
  /** Time of the last repeat purchase since the first purchase (0 when x = 0). */
  tx: number;
  /** Time observed since the first purchase, T >= t_x. */
  T: number;
}

export interface BgNbdFit extends BgNbdParams {
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

export interface FitBgNbdOptions extends MinimizeOptions {
  /** Starting point; defaults to r = alpha = a = b = 1. */
  initial?: BgNbdParams;
}

function checkParams({ r, alpha, a, b }: BgNbdParams): void {
  if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) {
    throw new RangeError(`BG/NBD parameters must be positive, got r=${r} alpha=${alpha} a=${a} b=${b}`);
  }
}

function checkCustomer(x: number, tx: number, T: number): void {
  if (!(Number.isInteger(x) && x >= 0 && tx >= 0 && T >= tx && (x > 0 || tx === 0))) {
    throw new RangeError(`invalid BG/NBD history x=${x} t_x=${tx} T=${T}`);
  }
}

/**
 * The log-likelihood of all customers, Σ ln L(r, α, a, b | x, t_x, T) with (FHL 2005 eq. 6)
 *   ln L = A1 + A2 + ln(e^A3 + δ(x>0) e^A4)
 *   A1 = ln Γ(r+x) − ln Γ(r) + r ln α
 *   A2 = ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
 *   A3 = −(r+x) ln(α+T)
 *   A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
 */
export function bgNbdLogLikelihood(params: BgNbdParams, customers: readonly BgNbdCustomer[]): number {
  const { r, alpha, a, b } = params;
  // Terms that depend only on the parameters are computed once, and the x-only part of A1 + A2
  // once per distinct x: x takes few values, so this removes almost all log-gamma calls.
  const lgR = logGamma(r);
  const lgB = logGamma(b);
  const lgAB = logGamma(a + b);
  const rLogAlpha = r * log(alpha);
  const logA = log(a);
  const byX = new Map<number, { a12: number; a4: number }>();
  const total = new CompensatedSum();
  for (const { x, tx, T } of customers) {
    let terms = byX.get(x);
    if (!terms) {
      const a1 = logGamma(r + x) - lgR + rLogAlpha;
      const a2 = lgAB + logGamma(b + x) - lgB - logGamma(a + b + x);
      terms = { a12: a1 + a2, a4: x > 0 ? logA - log(b + x - 1) : -Infinity };
      byX.set(x, terms);
    }
    const a3 = -(r + x) * log(alpha + T);
    const tail = x > 0 ? logSumExp(a3, terms.a4 - (r + x) * log(alpha + tx)) : a3;
    total.add(terms.a12 + tail);
  }
  return total.value;
}

const toLog = ({ r, alpha, a, b }: BgNbdParams) => [log(r), log(alpha), log(a), log(b)];
const fromLog = (v: readonly number[]): BgNbdParams => ({
  r: exp(v[0]),
  alpha: exp(v[1]),
  a: exp(v[2]),
  b: exp(v[3]),
});

/**
 * Maximum-likelihood fit. The search runs over ln r, ln α, ln a, ln b so positivity needs no
 * constraint and the objective is better scaled; the objective is the negative log-likelihood.
 */
export function fitBgNbd(customers: readonly BgNbdCustomer[], options: FitBgNbdOptions = {}): BgNbdFit {
  if (customers.length === 0) throw new RangeError('fitBgNbd needs at least one customer');
  for (const { x, tx, T } of customers) checkCustomer(x, tx, T);
  const initial = options.initial ?? { r: 1, alpha: 1, a: 1, b: 1 };
  checkParams(initial);
  const objective = (v: readonly number[]) => -bgNbdLogLikelihood(fromLog(v), customers);
  const result = minimize(objective, toLog(initial), options);
  return {
    ...fromLog(result.x),
    logLikelihood: -result.value,
    iterations: result.iterations,
    converged: result.converged,
  };
}

/**
 * Asymptotic standard errors of (r, α, a, b) from the observed information at `params`
 * (see `logParameterStandardErrors`); undefined when `params` is not a maximum.
 */
export function bgNbdStandardErrors(
  params: BgNbdParams,
  customers: readonly BgNbdCustomer[],
): BgNbdParams | undefined {
  const objective = (v: readonly number[]) => -bgNbdLogLikelihood(fromLog(v), customers);
  const se = logParameterStandardErrors(objective, [params.r, params.alpha, params.a, params.b]);
  return se && { r: se[0], alpha: se[1], a: se[2], b: se[3] };
}

/**
 * The factor (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))]
 * shared by eqs. 7 and 10 (eq. 7 is the case x = 0, T = 0). At a = 1 both factors vanish and the
 * product has a finite limit; there the function is evaluated at a = 1 ± 1e-7 and averaged, which
 * is accurate to about 1e-9 relative because the product is smooth in a.
 */
function expectedPurchasesFactor(params: BgNbdParams, t: number, x: number, T: number): number {
  if (t === 0) return 0;
  if (Math.abs(params.a - 1) >= 1e-7) return closedFormFactor(params, t, x, T);
  const below = closedFormFactor({ ...params, a: 1 - 1e-7 }, t, x, T);
  const above = closedFormFactor({ ...params, a: 1 + 1e-7 }, t, x, T);
  return (below + above) / 2;
}

function closedFormFactor({ r, alpha, a, b }: BgNbdParams, t: number, x: number, T: number): number {
  const z = t / (alpha + T + t);
  const power = exp((r + x) * log((alpha + T) / (alpha + T + t)));
  const bracket = 1 - power * hyp2f1(r + x, b + x, a + b + x - 1, z);
  return ((a + b + x - 1) / (a - 1)) * bracket;
}

/** E[X(t)]: expected repeat purchases in (0, t] for a customer just acquired (FHL 2005 eq. 7). */
export function bgNbdExpectedPurchasesUnconditional(params: BgNbdParams, t: number): number {
  checkParams(params);
  if (!(t >= 0)) throw new RangeError(`t must be >= 0, got ${t}`);
  return expectedPurchasesFactor(params, t, 0, 0);
}

/**
 * ln of the odds that a customer with this history is dead: for x > 0,
 * ln[a/(b+x−1)] + (r+x) ln[(α+T)/(α+t_x)]; a customer with no repeat purchase cannot have died
 * (dropout happens only right after a repeat purchase), so −Infinity for x = 0.
 */
function logDeadOdds({ r, alpha, a, b }: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return -Infinity;
  return log(a) - log(b + x - 1) + (r + x) * log((alpha + T) / (alpha + tx));
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in the next t periods (FHL 2005 eq. 10)
 *   = factor(t; x, T) / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)),
 * where the denominator is 1 / P(alive) and is applied in log form.
 */
export function bgNbdExpectedPurchases(
  params: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  checkParams(params);
  checkCustomer(x, tx, T);
  if (!(t >= 0)) throw new RangeError(`t must be >= 0, got ${t}`);
  return expectedPurchasesFactor(params, t, x, T) * exp(-log1pExp(logDeadOdds(params, x, tx, T)));
}

/** P(alive at T | x, t_x, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)). */
export function bgNbdProbabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  checkParams(params);
  checkCustomer(x, tx, T);
  return exp(-log1pExp(logDeadOdds(params, x, tx, T)));
}
