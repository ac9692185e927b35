/**
 * Exact absorption probabilities of an absorbing Markov chain.
 *
 * ChannelAttribution estimates P(conversion) by simulating walks, which makes its removal effects
 * noisy and seed-dependent. With fewer than ~50 channels the exact answer is one small dense linear
 * solve: for transient states T with sub-matrix Q and one-step probabilities r into the target,
 * the absorption probabilities x satisfy x = Q x + r, i.e. (I - Q) x = r. I - Q is non-singular
 * whenever every transient state can reach an absorbing state, which holds for chains estimated
 * from paths (every observed path ends in (conversion) or (null)).
 */

/**
 * Solve A x = b by Gaussian elimination with partial pivoting. A and b are not modified.
 * Partial pivoting keeps the elimination stable for the diagonally dominant-ish I - Q systems here;
 * a (near-)zero pivot means the chain has a closed class of transient states, which is a bug upstream.
 */
export function solveLinearSystem(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => {
    if (row.length !== n)
      throw new Error(`solveLinearSystem: row ${i} has ${row.length} columns, expected ${n}`);
    return [...row, b[i]];
  });
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (!(Math.abs(m[pivot][col]) > 1e-14)) {
      throw new Error(`solveLinearSystem: matrix is singular (pivot ${m[pivot][col]} in column ${col})`);
    }
    if (pivot !== col) [m[pivot], m[col]] = [m[col], m[pivot]];
    const p = m[col];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / p[col];
      if (f === 0) continue;
      const row = m[r];
      for (let k = col; k <= n; k++) row[k] -= f * p[k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / m[r][r];
  }
  return x;
}

/**
 * Probability that a walk started in each of `transient` states is eventually absorbed in `target`.
 * `p` is the full transition matrix; rows of absorbing states are never read.
 * Returns one probability per entry of `transient`, in the same order.
 */
export function absorptionProbabilities(
  p: readonly (readonly number[])[],
  transient: readonly number[],
  target: number,
): number[] {
  const a = transient.map((i) => transient.map((j) => (i === j ? 1 : 0) - p[i][j]));
  const r = transient.map((i) => p[i][target]);
  return solveLinearSystem(a, r);
}
