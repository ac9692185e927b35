import { invertSpd, minimize, numericalGradient } from '../../../src/analytics/clv/optimize';

const rosenbrock = ([x, y]: readonly number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;

describe('minimize (Nelder–Mead restarts, then BFGS)', () => {
  it('finds the Rosenbrock minimum from the classic start', () => {
    const result = minimize(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(Math.abs(result.x[0] - 1)).toBeLessThan(1e-6);
    expect(Math.abs(result.x[1] - 1)).toBeLessThan(1e-6);
  });

  it('solves an ill-conditioned, correlated quadratic', () => {
    const center = [1, -2, 3, 0.5];
    const f = (v: readonly number[]) => {
      const d = v.map((vi, i) => vi - center[i]);
      return 1000 * (d[0] + d[1]) ** 2 + (d[0] - d[1]) ** 2 + 50 * d[2] ** 2 + 0.1 * (d[3] + 0.5 * d[2]) ** 2;
    };
    const result = minimize(f, [0, 0, 0, 0]);
    expect(result.converged).toBe(true);
    result.x.forEach((xi, i) => expect(Math.abs(xi - center[i])).toBeLessThan(1e-5));
  });

  it('is deterministic', () => {
    expect(minimize(rosenbrock, [-1.2, 1])).toEqual(minimize(rosenbrock, [-1.2, 1]));
  });

  it('steps back from non-finite objective values', () => {
    // Undefined (NaN) for x < 0; the minimum is at the boundary side x = 2.
    const f = ([x]: readonly number[]) => (x < 0 ? NaN : (x - 2) ** 2);
    const result = minimize(f, [0.1]);
    expect(result.x[0]).toBeCloseTo(2, 6);
  });
});

describe('numerical helpers', () => {
  it('central differences are accurate to O(h²)', () => {
    const g = numericalGradient(([x, y]) => Math.exp(x) * Math.sin(y), [0.3, 1.1]);
    expect(g[0]).toBeCloseTo(Math.exp(0.3) * Math.sin(1.1), 8);
    expect(g[1]).toBeCloseTo(Math.exp(0.3) * Math.cos(1.1), 8);
  });

  it('inverts SPD matrices and rejects the rest', () => {
    const inverse = invertSpd([
      [4, 2],
      [2, 3],
    ]);
    expect(inverse).toBeDefined();
    const expected = [
      [3 / 8, -2 / 8],
      [-2 / 8, 4 / 8],
    ];
    inverse!.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 14)));
    expect(
      invertSpd([
        [1, 2],
        [2, 1],
      ]),
    ).toBeUndefined();
  });
});
