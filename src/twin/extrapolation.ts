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

/**
 * Sorted distinct values of the training rows per network input, shape [d][<= n]. With
 * them the distance of a point is measured along each input to the nearest training value
 * ("gaps"), which is e outside the range and also grows inside it where the rows leave a
 * gap (a held-out band of temperatures), instead of e alone.
 */
export type TrainingValues = number[][];

/** Where a calibration's extrapolation factor applies from: the range of the rows and, for gaps, their values. */
export interface TrainingSupport {
  trainingRange?: TrainingRange;
  trainingValues?: TrainingValues;
}

/**
 * Sorted distinct values per feature.
 * @param z row-major network inputs, shape [n*d].
 */
export function trainingValues(z: ArrayLike<number>, n: number, d: number): TrainingValues {
  return Array.from({ length: d }, (_, j) => {
    const v = Float64Array.from({ length: n }, (_, i) => z[i * d + j]).sort();
    return [...v].filter((x, i) => i === 0 || x !== v[i - 1]);
  });
}

/** Signed offset of v from the nearest of the sorted values (v minus it); 0 for no values. */
function nearestOffset(sorted: readonly number[], v: number): number {
  if (sorted.length === 0) return 0;
  let lo = 0;
  let hi = sorted.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= v) lo = mid;
    else hi = mid;
  }
  const a = v - sorted[lo];
  const b = v - sorted[hi];
  return Math.abs(a) <= Math.abs(b) ? a : b;
}

/**
 * Squared normalised gap g^2 = sum_j (distance from z_j to the nearest training value of
 * input j / range width)^2 of point i of row-major z [n*d]; equal to e^2 outside the range
 * on every input, and small but not 0 between training values.
 */
export function gapSq(range: TrainingRange, values: TrainingValues, z: ArrayLike<number>, i = 0): number {
  const d = range.length;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const g = nearestOffset(values[j], z[i * d + j]) / width(range[j]);
    s += g * g;
  }
  return s;
}

/** Gradient of g^2 at point i of z w.r.t. its d network inputs, shape [d]. */
export function gapSqGradient(range: TrainingRange, values: TrainingValues, z: ArrayLike<number>, i = 0): Float64Array {
  const d = range.length;
  const g = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const w = width(range[j]);
    g[j] = (2 * nearestOffset(values[j], z[i * d + j])) / (w * w);
  }
  return g;
}

/**
 * The squared distance a calibration's extrapolation factors apply to, per point of
 * row-major z [n*d]: g^2 when it stores training values, e^2 with a range alone, undefined
 * with neither.
 */
export function supportDistanceSqs(support: TrainingSupport | undefined, z: ArrayLike<number>, n: number): Float64Array | undefined {
  const range = support?.trainingRange;
  if (!range) return undefined;
  const values = support.trainingValues;
  return values ? Float64Array.from({ length: n }, (_, i) => gapSq(range, values, z, i)) : extrapolationSqs(range, z, n);
}

/** Gradient of {@link supportDistanceSqs} at point i w.r.t. its d network inputs, shape [d]. */
export function supportDistanceSqGradient(support: TrainingSupport, z: ArrayLike<number>, i = 0): Float64Array {
  const range = support.trainingRange!;
  return support.trainingValues ? gapSqGradient(range, support.trainingValues, z, i) : extrapolationSqGradient(range, z, i);
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
 * [1e-3, 1e5] against c = 0. Returns 0 unless at least 3 residuals have e2 > 0 and 3
 * others a smaller e2.
 */
export function fitExtrapolationFactor(res: readonly ExtrapolationResidual[]): number {
  const ok = res.filter((r) => Number.isFinite(r.residual) && r.baseVar > 0 && Number.isFinite(r.baseVar) && r.e2 >= 0 && Number.isFinite(r.e2));
  // Needs 3 residuals at some distance and 3 nearer than them (with gaps, few are exactly 0).
  const e2s = ok.map((r) => r.e2).sort((a, b) => a - b);
  if (e2s.length < 6 || !(e2s[e2s.length - 3] > 0) || !(e2s[2] < e2s[e2s.length - 3])) return 0;
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
