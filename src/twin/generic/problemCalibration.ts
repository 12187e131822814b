import { fitCalibratedModel, type CalibrationResidual, type VarianceModel } from "../calibration.js";
import type { ProblemPosterior } from "./problemTwin.js";

/** Out-of-bag predictions of one quantity for the rows that have them. */
export interface OutOfBag {
  /** Row indices (0-based data rows) with at least two out-of-bag members. */
  rows: number[];
  /** Out-of-bag mean per listed row. */
  mean: number[];
  /** Residual (measured - out-of-bag mean), member variance and extra variance per listed row. */
  residuals: CalibrationResidual[];
}

/**
 * Out-of-bag predictions of every row: row i predicted by the members that never trained
 * on it (`heldOut[k]` lists member k's rows; with one seed for every outcome ensemble the
 * lists are the same for all of them, and member k of the objective uses member k of
 * each). The smaller out-of-bag ensemble's extra error of the mean,
 * var_members * (1/m_i - 1/M), is kept with each residual (as for the paper twin,
 * outOfBagCalibration.ts).
 * @param post      the full ensemble's prediction of the training rows (n = rows)
 * @param measured  measured value per quantity (outcome names and "objective"), each [n]
 */
export function outOfBag(
  post: ProblemPosterior,
  measured: Record<string, readonly number[]>,
  heldOut: readonly (readonly number[])[],
): Record<string, OutOfBag> {
  const { n, m } = post;
  const oob: number[][] = Array.from({ length: n }, () => []);
  heldOut.forEach((rows, k) => rows.forEach((i) => i < n && oob[i].push(k)));
  const quantities = { ...post.outcomes, objective: post.objective };
  const out: Record<string, OutOfBag> = {};
  for (const [name, q] of Object.entries(quantities)) {
    const o: OutOfBag = { rows: [], mean: [], residuals: [] };
    for (let i = 0; i < n; i++) {
      const ks = oob[i];
      if (ks.length < 2) continue;
      const v = ks.map((k) => q.members[k * n + i]);
      const mean = v.reduce((s, t) => s + t, 0) / v.length;
      const memberVar = v.reduce((s, t) => s + (t - mean) ** 2, 0) / (v.length - 1);
      o.rows.push(i);
      o.mean.push(mean);
      o.residuals.push({ residual: measured[name][i] - mean, memberVar, extraVar: memberVar * Math.max(0, 1 / v.length - 1 / m) });
    }
    out[name] = o;
  }
  return out;
}

/**
 * Variance models (calibration.ts: maximum likelihood, then the 1-std coverage rescale)
 * of each quantity from its out-of-bag residuals; undefined when fewer than 3 rows have
 * out-of-bag predictions (e.g. a schedule where every member trains on every row).
 */
export function outOfBagModels(oob: Record<string, OutOfBag>): Record<string, VarianceModel> | undefined {
  if (Object.values(oob).some((o) => o.residuals.length < 3)) return undefined;
  return Object.fromEntries(Object.entries(oob).map(([name, o]) => [name, fitCalibratedModel(o.residuals)]));
}
