/**
 * A small deterministic minimizer for the CLV likelihoods: Nelder–Mead with restarts to get near
 * the optimum from a poor start, then BFGS with central-difference gradients to finish precisely.
 *
 * Why both: the BG/NBD and Gamma-Gamma likelihoods are smooth in log-parameters but can be flat
 * and banana-shaped far from the optimum, where a derivative-free simplex is robust; near the
 * optimum the simplex crawls, while quasi-Newton steps converge superlinearly and give a gradient
 * we can test for convergence. References: Nelder & Mead (1965), with the reflection/expansion/
 * contraction/shrink rules as stated by Lagarias et al. (1998, SIAM J. Optim. 9(1), §2); BFGS
 * inverse-Hessian update and Armijo backtracking as in Nocedal & Wright, Numerical Optimization
 * (2006), eq. 6.17 and Algorithm 3.1.
 *
 * Everything is plain arithmetic in a fixed order, so the same input gives the same output bit for
 * bit. Non-finite objective values are treated as +Infinity (the optimizer steps back from them).
 */

export type Objective = (x: readonly number[]) => number;

export interface MinimizeOptions {
  /** Edge length of the initial simplex, in the units of x (log-parameters here). */
  initialStep?: number;
  /** Cap on Nelder–Mead iterations per run. */
  maxSimplexIterations?: number;
  /** Cap on Nelder–Mead restarts from the best point so far. */
  maxRestarts?: number;
  /** Cap on BFGS iterations. */
  maxQuasiNewtonIterations?: number;
  /** Relative objective tolerance that ends a Nelder–Mead run and the restart loop. */
  tolerance?: number;
  /** Gradient tolerance, relative to 1 + |f|, that declares convergence. */
  gradientTolerance?: number;
}

export interface MinimizeResult {
  x: number[];
  value: number;
  /** Nelder–Mead plus BFGS iterations. */
  iterations: number;
  /** True when the final central-difference gradient is within tolerance (see `bfgs`). */
  converged: boolean;
  /** Largest absolute component of the final gradient. */
  gradientNorm: number;
}

function safe(f: Objective, x: readonly number[]): number {
  const v = f(x);
  return Number.isFinite(v) ? v : Infinity;
}

interface SimplexRun {
  x: number[];
  value: number;
  iterations: number;
}

/** One Nelder–Mead run with the standard coefficients (1, 2, 1/2, 1/2). */
export function nelderMead(
  f: Objective,
  x0: readonly number[],
  initialStep: number,
  maxIterations: number,
  tolerance: number,
): SimplexRun {
  const n = x0.length;
  let vertices: { x: number[]; v: number }[] = [{ x: [...x0], v: safe(f, x0) }];
  for (let i = 0; i < n; i++) {
    const x = [...x0];
    x[i] += initialStep;
    vertices.push({ x, v: safe(f, x) });
  }
  const along = (from: number[], to: number[], t: number) => from.map((fi, i) => fi + t * (to[i] - fi));
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    // Array.prototype.sort is stable, so ties keep their order and runs are reproducible.
    vertices.sort((p, q) => p.v - q.v);
    const best = vertices[0];
    const worst = vertices[n];
    if (worst.v - best.v <= tolerance * (1 + Math.abs(best.v))) break;
    const centroid = new Array<number>(n).fill(0);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) centroid[i] += vertices[j].x[i] / n;
    const reflected = along(centroid, worst.x, -1);
    const fr = safe(f, reflected);
    if (fr < best.v) {
      const expanded = along(centroid, worst.x, -2);
      const fe = safe(f, expanded);
      vertices[n] = fe < fr ? { x: expanded, v: fe } : { x: reflected, v: fr };
      continue;
    }
    if (fr < vertices[n - 1].v) {
      vertices[n] = { x: reflected, v: fr };
      continue;
    }
    // Contract outside (toward the reflected point) or inside (toward the worst vertex).
    const outside = fr < worst.v;
    const contracted = along(centroid, outside ? reflected : worst.x, 0.5);
    const fc = safe(f, contracted);
    if (outside ? fc <= fr : fc < worst.v) {
      vertices[n] = { x: contracted, v: fc };
      continue;
    }
    vertices = vertices.map((vertex, j) => {
      if (j === 0) return vertex;
      const x = along(best.x, vertex.x, 0.5);
      return { x, v: safe(f, x) };
    });
  }
  vertices.sort((p, q) => p.v - q.v);
  return { x: vertices[0].x, value: vertices[0].v, iterations };
}

/** Step for central differences: about the cube root of machine epsilon, scaled to |x_i|. */
function differenceStep(xi: number): number {
  return 1e-5 * Math.max(1, Math.abs(xi));
}

/** Central-difference gradient, error O(h²). */
export function numericalGradient(f: Objective, x: readonly number[]): number[] {
  return x.map((xi, i) => {
    const h = differenceStep(xi);
    const up = [...x];
    const down = [...x];
    up[i] = xi + h;
    down[i] = xi - h;
    return (f(up) - f(down)) / (2 * h);
  });
}

/** Central-difference Hessian (four evaluations per entry), symmetric by construction. */
export function numericalHessian(f: Objective, x: readonly number[]): number[][] {
  const n = x.length;
  const h = x.map((xi) => 10 * differenceStep(xi));
  const at = (i: number, si: number, j: number, sj: number) => {
    const y = [...x];
    y[i] += si * h[i];
    y[j] += sj * h[j];
    return f(y);
  };
  const hessian = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const value =
        (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h[i] * h[j]);
      hessian[i][j] = value;
      hessian[j][i] = value;
    }
  }
  return hessian;
}

/** Inverse of a symmetric positive-definite matrix by Cholesky, or undefined if it is not SPD. */
export function invertSpd(m: readonly (readonly number[])[]): number[][] | undefined {
  const n = m.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i][i] = Math.sqrt(s);
      } else {
        l[i][j] = s / l[j][j];
      }
    }
  }
  // Solve L Lᵀ X = I column by column.
  const inverse = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let c = 0; c < n; c++) {
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
      y[i] = s / l[i][i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= l[k][i] * inverse[k][c];
      inverse[i][c] = s / l[i][i];
    }
  }
  return inverse;
}

/**
 * Asymptotic standard errors of positive parameters fitted over their logarithms: the inverse of
 * the observed information (the Hessian of the negative log-likelihood in log-parameters) gives
 * the covariance of ln θ, and the delta method maps it back, se(θ) ≈ θ · se(ln θ). Undefined when
 * the Hessian is not positive definite, i.e. the point is not a strict local maximum.
 */
export function logParameterStandardErrors(
  negativeLogLikelihood: Objective,
  params: readonly number[],
): number[] | undefined {
  const covariance = invertSpd(numericalHessian(negativeLogLikelihood, params.map(Math.log)));
  return covariance?.map((row, i) => params[i] * Math.sqrt(row[i]));
}

const identity = (n: number) =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => +(i === j)));
const dot = (u: readonly number[], v: readonly number[]) => u.reduce((s, ui, i) => s + ui * v[i], 0);
const matVec = (m: number[][], v: readonly number[]) => m.map((row) => dot(row, v));
const maxAbs = (v: readonly number[]) => v.reduce((s, vi) => Math.max(s, Math.abs(vi)), 0);

/**
 * BFGS from x0. The first inverse-Hessian guess is the inverse of a finite-difference Hessian
 * when that is positive definite (near an optimum it is, and then the first step is a Newton
 * step); otherwise the identity.
 */
export function bfgs(
  f: Objective,
  x0: readonly number[],
  maxIterations: number,
  gradientTolerance: number,
): MinimizeResult {
  const n = x0.length;
  let x = [...x0];
  let value = safe(f, x);
  let gradient = numericalGradient(f, x);
  let inverseHessian = invertSpd(numericalHessian(f, x)) ?? identity(n);
  let iterations = 0;
  let stalled = false;
  const small = (factor: number) => maxAbs(gradient) <= factor * gradientTolerance * (1 + Math.abs(value));
  for (; iterations < maxIterations && !small(1); iterations++) {
    let direction = matVec(inverseHessian, gradient).map((d) => -d);
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      inverseHessian = identity(n);
      direction = gradient.map((g) => -g);
      slope = dot(gradient, direction);
    }
    // Armijo backtracking (sufficient decrease with c1 = 1e-4), halving the step.
    let step = 1;
    let next: number[] | undefined;
    let nextValue = Infinity;
    for (let k = 0; k < 40; k++, step /= 2) {
      const trial = x.map((xi, i) => xi + step * direction[i]);
      const trialValue = safe(f, trial);
      if (trialValue <= value + 1e-4 * step * slope) {
        next = trial;
        nextValue = trialValue;
        break;
      }
    }
    // No descent left at this precision, or none measurable: the gradient is numerical noise.
    if (!next || value - nextValue <= 1e-16 * Math.abs(value)) {
      if (next) [x, value, gradient] = [next, nextValue, numericalGradient(f, next)];
      iterations++;
      stalled = true;
      break;
    }
    const nextGradient = numericalGradient(f, next);
    const s = next.map((v, i) => v - x[i]);
    const y = nextGradient.map((g, i) => g - gradient[i]);
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, expanded so no matrix products are formed.
      const rho = 1 / sy;
      const hy = matVec(inverseHessian, y);
      const yhy = dot(y, hy);
      inverseHessian = inverseHessian.map((row, i) =>
        row.map(
          (hij, j) => hij - rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j],
        ),
      );
    }
    x = next;
    value = nextValue;
    gradient = nextGradient;
  }
  // Converged: the gradient is within tolerance, or the search stalled at the precision of the
  // finite differences (their truncation error, O(h²·f'''), can exceed the tolerance when f is
  // near 0) with a gradient within 100 times the tolerance.
  const converged = small(1) || (stalled && small(100));
  return { x, value, iterations, converged, gradientNorm: maxAbs(gradient) };
}

/**
 * Nelder–Mead restarted from its own best point until a restart stops improving the objective
 * (a simplex can collapse onto a line and stall short of the optimum; a fresh simplex undoes
 * that), then BFGS to polish and to measure the gradient.
 */
export function minimize(f: Objective, x0: readonly number[], options: MinimizeOptions = {}): MinimizeResult {
  const initialStep = options.initialStep ?? 0.5;
  const maxSimplexIterations = options.maxSimplexIterations ?? 4000;
  const maxRestarts = options.maxRestarts ?? 8;
  const tolerance = options.tolerance ?? 1e-10;
  const gradientTolerance = options.gradientTolerance ?? 1e-9;
  let run = nelderMead(f, x0, initialStep, maxSimplexIterations, tolerance);
  let iterations = run.iterations;
  for (let restart = 0; restart < maxRestarts; restart++) {
    const again = nelderMead(f, run.x, initialStep / 4, maxSimplexIterations, tolerance);
    iterations += again.iterations;
    const improvement = run.value - again.value;
    if (again.value < run.value) run = again;
    if (!(improvement > tolerance * 100 * (1 + Math.abs(run.value)))) break;
  }
  const polished = bfgs(f, run.x, options.maxQuasiNewtonIterations ?? 100, gradientTolerance);
  // BFGS only accepts decreasing steps, so its result is never worse than the simplex's.
  return { ...polished, iterations: iterations + polished.iterations };
}
