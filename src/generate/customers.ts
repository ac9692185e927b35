/**
 * Customers: who signs up when, and everything about a customer that is fixed at signup — profile
 * (country, plan, acquisition channel) and latent behaviour (will they buy, their BG/NBD purchase
 * rate and dropout probability, their Gamma-Gamma spend rate, how much they use the product).
 *
 * Signups are stratified: customer i signs up at a random instant of the i-th slice of length
 * days / customers, so `generate` has exactly `customers` customers, ids follow signup order, and
 * the same formula continues past the first horizon for the customers `simulate` adds.
 */
import {
  ACQUISITION_CUM,
  CONVERSION_PROBABILITY,
  COUNTRY_CUM,
  FEATURE_POPULARITY,
  PLAN_CUM,
} from './catalog';
import { CHANNELS, COUNTRIES, PLANS } from './catalog';
import { beta, choose, cumulative, exponential, gamma } from './distributions';
import type { GeneratorState } from './params';
import { Rng, STREAM } from './prng';
import type { CsvBytes } from './csv-bytes';
import { arrives, type LoadWindow } from './tables';

const DAY = 86400;

export interface Customer {
  id: number;
  signupSec: number;
  country: number;
  plan: number;
  acquisition: number;
  converts: boolean;
  /** When the first purchase happens (only for converting customers). */
  firstOrderSec: number;
  /** BG/NBD purchase rate per day while alive. */
  lambda: number;
  /** BG/NBD probability of dropping out after each repeat purchase. */
  dropout: number;
  /** Gamma-Gamma rate: each transaction's value ~ Gamma(p, rate nu), mean p / nu. */
  nu: number;
  /** Product usage events per day while active. */
  usageRate: number;
  /** Days of product use after dropping out (or after signup, for customers who never buy). */
  usageTailDays: number;
  featureCum: Float64Array;
  /** Non-converting browsing sessions per day while engaged. */
  sessionRate: number;
  engagementEndSec: number;
}

function sliceSeconds(state: GeneratorState): number {
  return (state.days * DAY) / state.customers;
}

function signupOf(state: GeneratorState, id: number, u: number): number {
  return Math.floor(state.startSec + sliceSeconds(state) * (id - 1 + u));
}

/** Draws customer `id`; the order of draws is part of the data's definition (see GENERATOR_VERSION). */
export function customerAt(state: GeneratorState, id: number): Customer {
  const rng = new Rng(state.seed, STREAM.customer, id);
  const signupSec = signupOf(state, id, rng.next());
  const country = choose(rng, COUNTRY_CUM);
  const plan = choose(rng, PLAN_CUM);
  const acquisition = choose(rng, ACQUISITION_CUM);
  const converts = rng.next() < CONVERSION_PROBABILITY[acquisition];
  // First purchase within the attribution window: most within days, a few weeks later.
  const delay = Math.min(gamma(rng, 1.2, 4) * DAY, 28 * DAY);
  const firstOrderSec = signupSec + Math.max(60, Math.floor(delay));
  const { r, alpha, a, b } = state.params.bgnbd;
  const { q, gamma: gammaRate } = state.params.gammaGamma;
  const lambda = gamma(rng, r, 1 / alpha);
  const dropout = beta(rng, a, b);
  const nu = gamma(rng, q, 1 / gammaRate);
  const usageRate = gamma(rng, 2, 0.06);
  const usageTailDays = exponential(rng, 21);
  const tilt = new Float64Array(FEATURE_POPULARITY.length);
  for (let i = 0; i < tilt.length; i++) tilt[i] = FEATURE_POPULARITY[i] * gamma(rng, 2, 1);
  const featureCum = cumulative(tilt);
  const sessionRate = gamma(rng, 1, 0.03);
  const engagementEndSec = signupSec + Math.floor(exponential(rng, 120) * DAY);
  return {
    id,
    signupSec,
    country,
    plan,
    acquisition,
    converts,
    firstOrderSec,
    lambda,
    dropout,
    nu,
    usageRate,
    usageTailDays,
    featureCum,
    sessionRate,
    engagementEndSec,
  };
}

/** The number of customers who signed up before `sec` (ids 1..n, since ids follow signups). */
export function customersBefore(state: GeneratorState, sec: number): number {
  const signup = (id: number) => signupOf(state, id, new Rng(state.seed, STREAM.customer, id).next());
  let n = Math.max(0, Math.floor((sec - state.startSec) / sliceSeconds(state)));
  while (n > 0 && signup(n) >= sec) n--;
  while (signup(n + 1) < sec) n++;
  return n;
}

/** The customer's row, if it arrives in the window (a customer row arrives at signup). */
export function customerRow(out: CsvBytes, c: Customer, window: LoadWindow): void {
  if (!arrives(c.signupSec, window)) return;
  out.int(c.id);
  out.comma();
  out.timestamp(c.signupSec);
  out.comma();
  out.text(COUNTRIES[c.country]);
  out.comma();
  out.text(PLANS[c.plan]);
  out.comma();
  out.text(CHANNELS[c.acquisition]);
  out.comma();
  out.timestamp(c.signupSec);
  out.newline();
}
