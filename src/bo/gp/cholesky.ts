/**
 * Cholesky factorisation of symmetric positive-definite matrices (flat row-major
 * Float64Array), with diagonal jitter when the matrix is numerically indefinite, and the
 * triangular solves the GP needs. (Own loops rather than ml-matrix's decomposition: the
 * hyperparameter search factorises hundreds of times per fit; the tests check these
 * against ml-matrix.)
 */

/** Smallest accepted pivot relative to its diagonal entry (about 1000 ulp). */
const PIVOT_TOLERANCE = 1e-13;

/**
 * Lower factor L (row-major n*n, upper part zero) with A = L L^T, or null if A is not
 * numerically positive definite (a pivot below 1e-13 of its diagonal entry).
 */
export function cholesky(A: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j];
    for (let k = 0; k < j; k++) s -= L[j * n + k] * L[j * n + k];
    // A pivot lost in rounding (relative to the diagonal) means numerically singular.
    if (!(s > PIVOT_TOLERANCE * A[j * n + j])) return null;
    const ljj = Math.sqrt(s);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j];
      for (let k = 0; k < j; k++) t -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = t / ljj;
    }
  }
  return L;
}

export interface JitteredCholesky {
  L: Float64Array;
  /** Jitter added to the diagonal (0 when none was needed). */
  jitter: number;
}

/**
 * Cholesky with jitter: try A, then A + j I with j = 1e-9, 1e-8, ... up to 1e-3 times the
 * mean diagonal. Returns null when even the largest jitter fails.
 */
export function choleskyWithJitter(A: Float64Array, n: number): JitteredCholesky | null {
  const L0 = cholesky(A, n);
  if (L0) return { L: L0, jitter: 0 };
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += A[i * n + i] / n;
  const scale = meanDiag > 0 && Number.isFinite(meanDiag) ? meanDiag : 1;
  for (let e = -9; e <= -3; e++) {
    const jitter = scale * 10 ** e;
    const B = A.slice();
    for (let i = 0; i < n; i++) B[i * n + i] += jitter;
    const L = cholesky(B, n);
    if (L) return { L, jitter };
  }
  return null;
}

/** Solve L x = b (forward substitution) in place in `b` (length n). */
export function solveLowerInPlace(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const row = i * n;
    for (let k = 0; k < i; k++) s -= L[row + k] * b[k];
    b[i] = s / L[row + i];
  }
}

/** Solve L^T x = b (back substitution) in place. */
export function solveUpperTransposedInPlace(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * b[k];
    b[i] = s / L[i * n + i];
  }
}

/** Solve (L L^T) x = b, returning x. */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  solveLowerInPlace(L, n, x);
  solveUpperTransposedInPlace(L, n, x);
  return x;
}

/**
 * (L L^T)^{-1}, shape [n*n]: column j solves L L^T x = e_j, with the same arithmetic in the
 * same order as {@link choleskySolve} on e_j (so the same numbers, bit for bit), but all
 * columns at once, row by row: each step updates a whole row, whose entries are independent
 * (the hyperparameter search inverts hundreds of times per fit; this is several times faster
 * than solving column by column).
 */
export function choleskyInverse(L: Float64Array, n: number): Float64Array {
  const X = new Float64Array(n * n);
  // Forward: row i of Y = L^{-1}, entries j <= i (the others are zero).
  for (let i = 0; i < n; i++) {
    const row = i * n;
    X[row + i] = 1;
    for (let k = 0; k < i; k++) {
      const a = L[row + k];
      const rk = k * n;
      for (let j = 0; j <= k; j++) X[row + j] -= a * X[rk + j];
    }
    const lii = L[row + i];
    for (let j = 0; j <= i; j++) X[row + j] /= lii;
  }
  // Backward, in place: row i of L^{-T} Y from the rows below it.
  for (let i = n - 1; i >= 0; i--) {
    const row = i * n;
    for (let k = i + 1; k < n; k++) {
      const a = L[k * n + i];
      const rk = k * n;
      for (let j = 0; j < n; j++) X[row + j] -= a * X[rk + j];
    }
    const lii = L[row + i];
    for (let j = 0; j < n; j++) X[row + j] /= lii;
  }
  return X;
}

/** log det(L L^T) = 2 sum log L_ii. */
export function logDetFromCholesky(L: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]);
  return 2 * s;
}
