import { ensembleMoments } from "../bo/ensemble/ensemblePosterior.js";
import { predictiveStds, type PredictiveCalibration } from "./calibration.js";
import { plqyProxy, type PlqyReference } from "./plqy.js";
import type { TwinPosterior } from "./twin.js";

/**
 * Build a {@link TwinPosterior} from member-major raw predictions (`abs[k*n+i]`,
 * `pla[k*n+i]`): per-member PLQY, then mean and sample standard deviation (n-1) over
 * members (the ensemble posterior of src/bo/ensemble), and the predictive standard
 * deviations of the calibration (the member spread itself when there is none), grown by
 * its extrapolation factor at points outside the training rows (`e2`, shape [n]: squared
 * extrapolation distances, extrapolation.ts; absent = 0).
 */
export function summarizeMembers(
  abs: Float64Array,
  pla: Float64Array,
  n: number,
  m: number,
  ref: PlqyReference,
  calibration?: PredictiveCalibration,
  e2?: ArrayLike<number>,
): TwinPosterior {
  const plqy = new Float64Array(m * n);
  for (let j = 0; j < m * n; j++) plqy[j] = plqyProxy(abs[j], pla[j], ref);
  const [absMean, absStd] = meanStd(abs, n, m);
  const [plaMean, plaStd] = meanStd(pla, n, m);
  const [plqyMean, plqyStd] = meanStd(plqy, n, m);
  return {
    n,
    m,
    abs,
    pla,
    plqy,
    absMean,
    absStd,
    plaMean,
    plaStd,
    plqyMean,
    plqyStd,
    absPredStd: calibration ? predictiveStds(absStd, calibration.abs, absMean, e2) : absStd,
    plaPredStd: calibration ? predictiveStds(plaStd, calibration.pla, plaMean, e2) : plaStd,
    plqyPredStd: calibration ? predictiveStds(plqyStd, calibration.plqy, plqyMean, e2) : plqyStd,
  };
}

/** Mean and sample standard deviation (n-1) over members; input member-major [m*n]. */
export function meanStd(values: Float64Array, n: number, m: number): [Float64Array, Float64Array] {
  const { mean, variance } = ensembleMoments(values, n, m);
  return [mean, variance.map(Math.sqrt)];
}
