/**
 * How far a point lies outside the data a twin was trained on, and how much the predictive
 * variance grows with it.
 *
 * Out of fold on temperature-band folds (the LHS files are sorted by T), the squared
 * standardised residuals of the two edge bands were about twice those of the interior
 * bands: the calibration fitted on interpolation residuals is too narrow where the twin
 * extrapolates. The extrapolation distance of a point z (network-input units) is
 *
 *     e(z)^2 = sum_j (max(0, lo_j - z_j, z_j - hi_j) / (hi_j - lo_j))^2
 *
 * with [lo_j, hi_j] the range of the training rows in feature j (0 inside the box of the
 * data), and the predictive variance is multiplied by (1 + c e(z)^2). The factor c is
 * fitted by maximum likelihood on residuals of members that held out an edge slab of the
 * rows (src/twin/enn/trainEnsemble.ts, TrainSchedule.slabs), i.e. on genuine
 * extrapolations, against interpolation residuals of the same kind.
 */

/** [lo, hi] of the training rows per network input (network-input units), shape [d]. */
export type TrainingRange = [number, number][];

/**
 * Range of the rows per feature.
 * @param z row-major network inputs, shape [n*d].
 */
export function trainingRange(z: ArrayLike<number>, n: number, d: number): TrainingRange {
  const r: TrainingRange = Array.from({ length: d }, () => [Infinity, -Infinity]);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      const v = z[i * d + j];
      if (v < r[j][0]) r[j][0] = v;
      if (v > r[j][1]) r[j][1] = v;
    }
  return r.map(([lo, hi]) => (lo <= hi ? [lo, hi] : [0, 1]));
}

/** Width of a range used to normalise distances: hi - lo, or 1 for a degenerate range (one distinct value, up to 1e-9). */
function width([lo, hi]: readonly [number, number]): number {
  return hi - lo > 1e-9 ? hi - lo : 1;
}

/**
 * Squared normalised extrapolation distance e^2 of point i of row-major z [n*d] (0 inside
 * the range on every feature).
 */
export function extrapolationSq(range: readonly (readonly [number, number])[], z: ArrayLike<number>, i = 0): number {
  const d = range.length;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const v = z[i * d + j];
    const over = Math.max(0, range[j][0] - v, v - range[j][1]) / width(range[j]);
    s += over * over;
  }
  return s;
}

/** e^2 of every point of row-major z [n*d]: shape [n]. */
export function extrapolationSqs(range: readonly (readonly [number, number])[], z: ArrayLike<number>, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => extrapolationSq(range, z, i));
}

/** Gradient of e^2 at point i of z w.r.t. its d network inputs: shape [d] (0 inside the range). */
export function extrapolationSqGradient(range: readonly (readonly [number, number])[], z: ArrayLike<number>, i = 0): Float64Array {
  const d = range.length;
  const g = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const v = z[i * d + j];
    const w = width(range[j]);
    if (v < range[j][0]) g[j] = (-2 * (range[j][0] - v)) / (w * w);
    else if (v > range[j][1]) g[j] = (2 * (v - range[j][1])) / (w * w);
  }
  return g;
}

/** One residual for fitting the extrapolation factor. */
export interface ExtrapolationResidual {
  /** Measured minus predicted (output units). */
  residual: number;
  /** Its expected variance without extrapolation (output units squared, > 0). */
  baseVar: number;
  /** Squared extrapolation distance of the row from the predicting member's training rows. */
  e2: number;
}

/**
 * Maximum-likelihood factor c >= 0 of r_i ~ N(0, a * baseVar_i * (1 + c e2_i)), with the
 * level a > 0 profiled out (a = mean of r^2 / (baseVar (1 + c e2)), so only the growth
 * with e2 relative to the residuals at e2 = 0 matters). Golden section over log c in
 * [1e-3, 1e5] against c = 0. Returns 0 with fewer than 3 residuals at e2 > 0 or 3 at 0.
 */
export function fitExtrapolationFactor(res: readonly ExtrapolationResidual[]): number {
  const ok = res.filter((r) => Number.isFinite(r.residual) && r.baseVar > 0 && Number.isFinite(r.baseVar) && r.e2 >= 0 && Number.isFinite(r.e2));
  if (ok.filter((r) => r.e2 > 0).length < 3 || ok.filter((r) => r.e2 === 0).length < 3) return 0;
  const nll = (c: number): number => {
    let a = 0;
    let logs = 0;
    for (const r of ok) {
      const v = r.baseVar * (1 + c * r.e2);
      a += (r.residual * r.residual) / v;
      logs += Math.log(v);
    }
    a = Math.max(a / ok.length, 1e-300);
    return ok.length * Math.log(a) + logs;
  };
  const g = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(1e-3),
    hi = Math.log(1e5);
  let x1 = hi - g * (hi - lo),
    x2 = lo + g * (hi - lo);
  let f1 = nll(Math.exp(x1)),
    f2 = nll(Math.exp(x2));
  for (let i = 0; i < 60; i++) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - g * (hi - lo);
      f1 = nll(Math.exp(x1));
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + g * (hi - lo);
      f2 = nll(Math.exp(x2));
    }
  }
  const c = Math.exp((lo + hi) / 2);
  return nll(c) < nll(0) ? c : 0;
}
