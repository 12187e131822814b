import { choleskySolve, choleskyWithJitter } from "./cholesky.js";

/** A linear trend b0 + b . x of the (standardised) objective over the unit cube. */
export interface LinearTrend {
  intercept: number;
  /** Shape [d]. */
  slope: Float64Array;
}

/**
 * Ridge least squares of y [n] on [1, X] (X flat row-major [n*d]), penalty `ridge` on the
 * slopes only. A GP on the residuals of this trend extrapolates the trend towards the
 * box's faces and corners instead of reverting to a constant, where optima of monotone
 * responses sit.
 */
export function fitLinearTrend(X: Float64Array, y: Float64Array, d: number, ridge = 1e-2): LinearTrend {
  const n = y.length;
  const p = d + 1;
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    row[0] = 1;
    for (let j = 0; j < d; j++) row[j + 1] = X[i * d + j];
    for (let a = 0; a < p; a++) {
      b[a] += row[a] * y[i];
      for (let c = 0; c < p; c++) A[a * p + c] += row[a] * row[c];
    }
  }
  for (let a = 1; a < p; a++) A[a * p + a] += ridge;
  const chol = choleskyWithJitter(A, p);
  if (!chol) return { intercept: 0, slope: new Float64Array(d) };
  const w = choleskySolve(chol.L, p, b);
  return { intercept: w[0], slope: w.subarray(1) };
}

/** The trend at point i of X (flat [q*d]). */
export function trendAt(t: LinearTrend, X: ArrayLike<number>, i: number, d: number): number {
  let s = t.intercept;
  for (let j = 0; j < d; j++) s += t.slope[j] * X[i * d + j];
  return s;
}
