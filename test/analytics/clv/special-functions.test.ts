import { hyp2f1, log1pExp, logBeta, logGamma, logSumExp } from '../../../src/analytics/clv/special-functions';

const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('logGamma (Lanczos)', () => {
  it('matches factorials', () => {
    let logFactorial = 0;
    for (let n = 1; n <= 30; n++) {
      expect(Math.abs(logGamma(n) - logFactorial)).toBeLessThan(1e-13 * Math.max(1, logFactorial));
      logFactorial += Math.log(n);
    }
  });

  it('matches known non-integer values', () => {
    expect(relativeError(logGamma(0.5), 0.5 * Math.log(Math.PI))).toBeLessThan(1e-14);
    expect(relativeError(logGamma(1.5), Math.log(Math.sqrt(Math.PI) / 2))).toBeLessThan(1e-13);
    expect(relativeError(logGamma(-0.5), Math.log(2 * Math.sqrt(Math.PI)))).toBeLessThan(1e-14);
    expect(relativeError(logGamma(100), 359.1342053695754)).toBeLessThan(1e-14);
    // ln Γ(ε) = −ln ε − γ_E ε + O(ε²)
    expect(relativeError(logGamma(1e-8), -Math.log(1e-8) - 0.5772156649015329e-8)).toBeLessThan(1e-14);
  });

  it('satisfies ln Γ(x+1) = ln Γ(x) + ln x across the range the models use', () => {
    for (let x = 0.01; x < 200; x *= 1.37) {
      expect(Math.abs(logGamma(x + 1) - logGamma(x) - Math.log(x))).toBeLessThan(
        1e-12 * (1 + Math.abs(logGamma(x))),
      );
    }
  });

  it('gives +Infinity at the poles and ln B from ln Γ', () => {
    expect(logGamma(0)).toBe(Infinity);
    expect(logGamma(-3)).toBe(Infinity);
    expect(relativeError(logBeta(2, 3), Math.log(1 / 12))).toBeLessThan(1e-14);
  });
});

describe('hyp2f1', () => {
  it('matches closed forms', () => {
    for (const z of [-0.9, -0.3, 0.1, 0.5, 0.9, 0.99]) {
      expect(relativeError(hyp2f1(1, 1, 2, z), -Math.log(1 - z) / z)).toBeLessThan(1e-13);
      expect(relativeError(hyp2f1(0.7, 2.3, 2.3, z), Math.pow(1 - z, -0.7))).toBeLessThan(1e-13);
    }
    const w = 0.8;
    expect(relativeError(hyp2f1(0.5, 0.5, 1.5, w * w), Math.asin(w) / w)).toBeLessThan(1e-13);
  });

  it('terminates for a non-positive integer a (a polynomial)', () => {
    // 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))
    const [b, c, z] = [1.5, 2.5, 0.4];
    expect(hyp2f1(-2, b, c, z)).toBeCloseTo(1 - (2 * b * z) / c + (b * (b + 1) * z * z) / (c * (c + 1)), 14);
  });

  it('sums terms that grow before they shrink', () => {
    // a·b ≫ c: early terms grow by a factor ~ 50; compare with Euler's transformation
    // 2F1(a, b; c; z) = (1 − z)^(c−a−b) 2F1(c−a, c−b; c; z), whose series is tame here.
    const [a, b, c, z] = [20, 30, 4, 0.3];
    const euler = Math.pow(1 - z, c - a - b) * hyp2f1(c - a, c - b, c, z);
    expect(relativeError(hyp2f1(a, b, c, z), euler)).toBeLessThan(1e-11);
  });

  it('refuses arguments outside the series', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(RangeError);
    expect(() => hyp2f1(1, 1, 2, 0.999999, { maxTerms: 10 })).toThrow(/did not converge/);
  });
});

describe('log-space sums', () => {
  it('adds huge and tiny terms without overflow', () => {
    expect(logSumExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp(-1000, -Infinity)).toBe(-1000);
    expect(logSumExp(-Infinity, -Infinity)).toBe(-Infinity);
    expect(log1pExp(800)).toBeCloseTo(800, 12);
    expect(log1pExp(-800)).toBe(0);
    expect(log1pExp(0)).toBeCloseTo(Math.LN2, 15);
  });
});
