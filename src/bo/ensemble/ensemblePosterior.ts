import type { Rng } from "../../core/rng.js";
import type { Posterior, PosteriorGradient } from "../surrogate.js";

/**
 * The one posterior of an ensemble surrogate (as BoTorch's ensemble posterior and the
 * original SDFL optimizer), optionally calibrated: the predictive variance is
 *
 *     variance = scale * (variance over members, n - 1 denominator) + noiseVar + relVar * mean^2
 *
 * and joint samples are whole members, drawn WITHOUT replacement, with their deviation
 * from the mean multiplied by sqrt(scale) (samples of the latent objective: noiseVar, the
 * independent measurement noise, is in the variance but not in the samples).
 */
export interface EnsembleCalibration {
  /** Multiplies the members' variance. Default 1. */
  scale: number;
  /** Added variance, objective units squared. Default 0. */
  noiseVar: number;
  /** Added variance per squared posterior mean (relative noise: a relative standard deviation squared). Default 0. */
  relVar?: number;
}

const RAW: EnsembleCalibration = { scale: 1, noiseVar: 0 };

function check(values: Float64Array, q: number, m: number, what: string): void {
  if (!Number.isInteger(q) || !Number.isInteger(m) || m < 1 || values.length !== q * m) {
    throw new RangeError(`${what}: expected ${q} points x ${m} members = ${q * m} values, got ${values.length}`);
  }
}

/**
 * Mean and variance (n - 1 denominator; 0 for one member) over members at each point.
 * @param values member-major, shape [m*q]: member k at point i is values[k*q + i].
 * @returns mean and variance, shape [q] each.
 */
export function ensembleMoments(values: Float64Array, q: number, m: number): { mean: Float64Array; variance: Float64Array } {
  check(values, q, m, "ensembleMoments");
  const mean = new Float64Array(q);
  const variance = new Float64Array(q);
  for (let k = 0; k < m; k++) for (let i = 0; i < q; i++) mean[i] += values[k * q + i];
  for (let i = 0; i < q; i++) mean[i] /= m;
  if (m > 1) {
    for (let k = 0; k < m; k++)
      for (let i = 0; i < q; i++) {
        const r = values[k * q + i] - mean[i];
        variance[i] += r * r;
      }
    for (let i = 0; i < q; i++) variance[i] /= m - 1;
  }
  return { mean, variance };
}

/**
 * The posterior of an ensemble from its members' predictions.
 *
 * @param values member-major predictions, shape [m*q]: member k at point i is values[k*q + i].
 * @param q number of points.
 * @param m number of members (>= 1; the members' variance is 0 for a single member).
 * @param calibration variance scale and added noise variance (default: the raw spread).
 */
export function ensemblePosterior(values: Float64Array, q: number, m: number, calibration: EnsembleCalibration = RAW): Posterior {
  check(values, q, m, "ensemblePosterior");
  const { mean, variance } = ensembleMoments(values, q, m);
  const spread = Math.sqrt(calibration.scale);
  calibrate(variance, mean, calibration);
  return {
    mean,
    variance,
    members: m,
    /** `count` distinct members drawn at random (all members, in order, when count >= m). */
    sample(count: number, rng: Rng): Float64Array[] {
      const order = Array.from({ length: m }, (_, k) => k);
      const chosen = count >= m ? order : rng.shuffle(order).slice(0, Math.max(0, count));
      return chosen.map((k) =>
        spread === 1 ? values.slice(k * q, (k + 1) * q) : Float64Array.from({ length: q }, (_, i) => mean[i] + spread * (values[k * q + i] - mean[i])),
      );
    },
  };
}

/**
 * Posterior mean and variance of an ensemble with their input gradients.
 *
 * @param values member-major predictions [m*q].
 * @param dValues member-major input gradients [m*q*d]: d values[k*q+i] / d x_ij at (k*q + i)*d + j.
 * @param calibration as in {@link ensemblePosterior}; the constant noise adds no gradient, the relative noise 2 relVar mean dMean.
 */
export function ensemblePosteriorGradient(
  values: Float64Array,
  dValues: Float64Array,
  q: number,
  m: number,
  d: number,
  calibration: EnsembleCalibration = RAW,
): PosteriorGradient {
  check(values, q, m, "ensemblePosteriorGradient");
  if (dValues.length !== q * m * d) throw new RangeError(`ensemblePosteriorGradient: expected ${q * m * d} gradient values, got ${dValues.length}`);
  const { mean, variance } = ensembleMoments(values, q, m);
  const dMean = new Float64Array(q * d);
  const dVariance = new Float64Array(q * d);
  for (let k = 0; k < m; k++) for (let i = 0; i < q; i++) for (let j = 0; j < d; j++) dMean[i * d + j] += dValues[(k * q + i) * d + j] / m;
  if (m > 1) {
    // d/dx sum_k (v_k - mean)^2 = 2 sum_k (v_k - mean)(dv_k - dMean); the dMean term sums to 0.
    const c = (2 * calibration.scale) / (m - 1);
    for (let k = 0; k < m; k++)
      for (let i = 0; i < q; i++) {
        const r = values[k * q + i] - mean[i];
        for (let j = 0; j < d; j++) dVariance[i * d + j] += c * r * dValues[(k * q + i) * d + j];
      }
  }
  const rel = calibration.relVar ?? 0;
  if (rel > 0) for (let i = 0; i < q; i++) for (let j = 0; j < d; j++) dVariance[i * d + j] += 2 * rel * mean[i] * dMean[i * d + j];
  calibrate(variance, mean, calibration);
  return { mean, variance, dMean, dVariance };
}

/** In place: member variance -> predictive variance of the calibration. */
function calibrate(variance: Float64Array, mean: Float64Array, c: EnsembleCalibration): void {
  const rel = c.relVar ?? 0;
  for (let i = 0; i < variance.length; i++) variance[i] = c.scale * variance[i] + c.noiseVar + rel * mean[i] * mean[i];
}
