/**
 * Accuracy metrics of a twin's predictions against measurements.
 */
import { mean as ssMean } from "simple-statistics";

/** Coefficient of determination 1 - SS_res / SS_tot (SS_tot about the mean of y). NaN for fewer than 2 points or constant y. */
export function rSquared(y: ArrayLike<number>, yhat: ArrayLike<number>): number {
  const n = y.length;
  if (n !== yhat.length) throw new RangeError(`rSquared: ${n} measurements but ${yhat.length} predictions`);
  if (n < 2) return NaN;
  const mean = ssMean(Array.from(y));
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (y[i] - yhat[i]) ** 2;
    ssTot += (y[i] - mean) ** 2;
  }
  return ssTot > 0 ? 1 - ssRes / ssTot : NaN;
}

/** How well the ensemble spread describes the errors. */
export interface Calibration {
  /** Fraction of points with |y - mean| <= std (a calibrated Gaussian gives 0.683). */
  within1Std: number;
  /** Fraction with |y - mean| <= 2 std (calibrated: 0.954). */
  within2Std: number;
  /** Mean Gaussian negative log likelihood of y under N(mean, std^2), nats per point. */
  nll: number;
  n: number;
}

/** Smallest standard deviation used in the likelihood (a zero-spread ensemble would give infinite NLL). */
export const MIN_STD = 1e-12;

/** Calibration of predictive means and standard deviations against measurements y. */
export function calibration(y: ArrayLike<number>, mean: ArrayLike<number>, std: ArrayLike<number>): Calibration {
  const n = y.length;
  let in1 = 0;
  let in2 = 0;
  let nll = 0;
  for (let i = 0; i < n; i++) {
    const s = Math.max(std[i], MIN_STD);
    const z = Math.abs(y[i] - mean[i]) / s;
    if (z <= 1) in1++;
    if (z <= 2) in2++;
    nll += 0.5 * Math.log(2 * Math.PI * s * s) + 0.5 * z * z;
  }
  return { within1Std: n ? in1 / n : NaN, within2Std: n ? in2 / n : NaN, nll: n ? nll / n : NaN, n };
}
