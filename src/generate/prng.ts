/**
 * A seeded pseudo-random generator (xoshiro128**) and the way streams are derived from keys.
 *
 * Why keyed streams: every random decision of the generator comes from a stream named by
 * (seed, purpose, customer, index), not from one global sequence. A customer's history is then a
 * pure function of the seed and its id, so each table can be written in its own pass (touchpoints
 * recompute the orders they precede instead of holding them in memory), and `simulate` can extend a
 * history later and find exactly the events `generate` left for the future. Only 32-bit integer
 * arithmetic is used, so the numbers are the same on every platform.
 */

/** Purposes of streams; each gets its own sequence for the same customer. */
export const STREAM = {
  customer: 1,
  orders: 2,
  path: 3,
  sessions: 4,
  usage: 5,
} as const;

/** MurmurHash3's finalizer: a bijective avalanche of 32 bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function mixKey(h: number, key: number): number {
  // Safe integers can exceed 32 bits (a seed like Date.now()): hash both halves.
  h = fmix32(Math.imul(h ^ (key >>> 0), 0x9e3779b1) + 0x7f4a7c15);
  return fmix32(Math.imul(h ^ (Math.floor(key / 0x1_0000_0000) >>> 0), 0x9e3779b1) + 0x7f4a7c15);
}

/** Hashes a stream's four integer keys (each a non-negative safe integer) into 32 bits. */
function hashKeys(seed: number, purpose: number, id: number, index: number): number {
  return mixKey(mixKey(mixKey(mixKey(0x243f6a88, seed), purpose), id), index);
}

function splitmix(x: number): number {
  let z = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** A stream named by its keys, e.g. `new Rng(seed, STREAM.orders, customerId)`. */
  constructor(seed: number, purpose = 0, id = 0, index = 0) {
    // splitmix32 spreads the one hash over the four state words (never all zero).
    let x = hashKeys(seed, purpose, id, index);
    x = (x + 0x9e3779b9) | 0;
    this.s0 = splitmix(x);
    x = (x + 0x9e3779b9) | 0;
    this.s1 = splitmix(x);
    x = (x + 0x9e3779b9) | 0;
    this.s2 = splitmix(x);
    x = (x + 0x9e3779b9) | 0;
    this.s3 = splitmix(x) | 1;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in the open interval (0, 1): never 0, so `Math.log(u)` is always finite. */
  next(): number {
    return (this.nextU32() + 0.5) / 0x1_0000_0000;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
