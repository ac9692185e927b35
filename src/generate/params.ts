/**
 * The generator's truth and state: the BG/NBD and Gamma-Gamma parameters customers are drawn from,
 * and where the simulated clock stands. Both are written to `<schema>.generator_params`
 * (model, parameter, value) so that a CLV fit can be checked against the truth and `simulate` can
 * continue exactly where the last run stopped.
 */
import { MartqlError } from '../errors';

/** BG/NBD (Fader, Hardie & Lee 2005): lambda ~ Gamma(r, rate alpha), dropout p ~ Beta(a, b). Time in days. */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Gamma-Gamma (Fader & Hardie): nu ~ Gamma(q, rate gamma); each transaction's value ~ Gamma(p, rate nu). */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface TrueParams {
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
}

/**
 * Defaults: a buyer makes about 4.6 repeat purchases a year while alive (r / alpha = 0.0125 a day)
 * and drops out after a purchase with probability 0.24 on average (a / (a + b)); a transaction is
 * worth p * gamma / (q - 1) = 90 on average.
 */
export const DEFAULT_PARAMS: TrueParams = {
  bgnbd: { r: 0.75, alpha: 60, a: 0.8, b: 2.5 },
  gammaGamma: { p: 6, q: 4, gamma: 45 },
};

/** Bumped whenever the same seed would produce different data, so `simulate` refuses a stale state. */
export const GENERATOR_VERSION = 1;

/** Everything a history is a function of, plus the simulated clock. Times are epoch seconds. */
export interface GeneratorState {
  seed: number;
  /** Customers in the initial `generate` (the signup rate is customers / days, also afterwards). */
  customers: number;
  days: number;
  startSec: number;
  /** Everything that arrived (`_loaded_at`) before this instant is in the tables. */
  horizonSec: number;
  params: TrueParams;
}

export interface ParamRow {
  model: string;
  parameter: string;
  value: number;
}

export function stateToRows(state: GeneratorState): ParamRow[] {
  const { bgnbd, gammaGamma } = state.params;
  return [
    { model: 'bgnbd', parameter: 'r', value: bgnbd.r },
    { model: 'bgnbd', parameter: 'alpha', value: bgnbd.alpha },
    { model: 'bgnbd', parameter: 'a', value: bgnbd.a },
    { model: 'bgnbd', parameter: 'b', value: bgnbd.b },
    { model: 'bgnbd', parameter: 'time_unit_days', value: 1 },
    { model: 'gamma_gamma', parameter: 'p', value: gammaGamma.p },
    { model: 'gamma_gamma', parameter: 'q', value: gammaGamma.q },
    { model: 'gamma_gamma', parameter: 'gamma', value: gammaGamma.gamma },
    { model: 'generator', parameter: 'version', value: GENERATOR_VERSION },
    { model: 'generator', parameter: 'seed', value: state.seed },
    { model: 'generator', parameter: 'customers', value: state.customers },
    { model: 'generator', parameter: 'days', value: state.days },
    { model: 'generator', parameter: 'start_epoch', value: state.startSec },
    { model: 'generator', parameter: 'horizon_epoch', value: state.horizonSec },
  ];
}

export function stateFromRows(rows: ParamRow[], table: string): GeneratorState {
  const get = (model: string, parameter: string): number => {
    const row = rows.find((r) => r.model === model && r.parameter === parameter);
    const value = row === undefined ? NaN : Number(row.value);
    if (!Number.isFinite(value)) {
      throw new MartqlError('DATABASE', `${table} has no ${model}.${parameter}`, {
        hint: 'run `martql generate` first',
      });
    }
    return value;
  };
  const version = get('generator', 'version');
  if (version !== GENERATOR_VERSION) {
    throw new MartqlError(
      'DATABASE',
      `${table} was written by generator version ${version}; this is version ${GENERATOR_VERSION}`,
      { hint: 'run `martql generate` again: the same seed now gives different data' },
    );
  }
  return {
    seed: get('generator', 'seed'),
    customers: get('generator', 'customers'),
    days: get('generator', 'days'),
    startSec: get('generator', 'start_epoch'),
    horizonSec: get('generator', 'horizon_epoch'),
    params: {
      bgnbd: {
        r: get('bgnbd', 'r'),
        alpha: get('bgnbd', 'alpha'),
        a: get('bgnbd', 'a'),
        b: get('bgnbd', 'b'),
      },
      gammaGamma: {
        p: get('gamma_gamma', 'p'),
        q: get('gamma_gamma', 'q'),
        gamma: get('gamma_gamma', 'gamma'),
      },
    },
  };
}

export function validateParams(params: TrueParams): void {
  const all = { ...params.bgnbd, ...params.gammaGamma };
  for (const [name, value] of Object.entries(all)) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new MartqlError(
        'PROJECT_CONFIG',
        `generator parameter ${name} must be a positive number, got ${value}`,
      );
    }
  }
}
