import { fitCalibratedModel, type CalibrationResidual, type PredictiveCalibration, type VarianceModel } from "./calibration.js";
import { normalizePoints, type CascadeEnsembleSpec } from "./cascadeEnsemble.js";
import { JsCascadePredictor } from "./jsPredictor.js";
import { plqyProxy } from "./plqy.js";

/** Measured rows: inputs in physical units [n][d] and the two features [n]. */
export interface MeasuredRows {
  X: readonly (readonly number[])[];
  abs: readonly number[];
  pla: readonly number[];
}

/**
 * Fit the predictive variance model of each output on out-of-bag residuals: row i is
 * predicted by the members that never trained on it (`heldOut[k]` lists member k's);
 * rows with fewer than 2 such members are skipped. The smaller out-of-bag ensemble's
 * extra error of the mean, var_members * (1/m_i - 1/M), is accounted for, so the fitted
 * model describes the full M-member ensemble. Undefined when fewer than 3 rows qualify.
 */
export function outOfBagCalibration(spec: CascadeEnsembleSpec, rows: MeasuredRows, heldOut: readonly (readonly number[])[]): PredictiveCalibration | undefined {
  const n = rows.X.length;
  const M = spec.members.length;
  const d = spec.inputs.length;
  const y = new JsCascadePredictor(spec).forward(normalizePoints(rows.X, spec.inputBounds), n, d);
  const { min, max } = spec.outputScaling;
  const inBag: number[][] = Array.from({ length: n }, () => []);
  heldOut.forEach((rowsOut, k) => rowsOut.forEach((i) => i < n && inBag[i].push(k)));
  const res: Record<"abs" | "pla" | "plqy", CalibrationResidual[]> = { abs: [], pla: [], plqy: [] };
  for (let i = 0; i < n; i++) {
    const ks = inBag[i];
    if (ks.length < 2) continue;
    const vals = ks.map((k) => {
      const a = min[0] + y[(k * n + i) * 2] * (max[0] - min[0]);
      const p = min[1] + y[(k * n + i) * 2 + 1] * (max[1] - min[1]);
      return { abs: a, pla: p, plqy: plqyProxy(a, p, spec.plqyReference) };
    });
    const truth = { abs: rows.abs[i], pla: rows.pla[i], plqy: plqyProxy(rows.abs[i], rows.pla[i], spec.plqyReference) };
    for (const o of ["abs", "pla", "plqy"] as const) {
      const v = vals.map((t) => t[o]);
      const mean = v.reduce((s, t) => s + t, 0) / v.length;
      const memberVar = v.reduce((s, t) => s + (t - mean) ** 2, 0) / (v.length - 1);
      res[o].push({ residual: truth[o] - mean, memberVar, extraVar: memberVar * Math.max(0, 1 / v.length - 1 / M) });
    }
  }
  if (res.plqy.length < 3) return undefined;
  const fit = (o: "abs" | "pla" | "plqy"): VarianceModel => fitCalibratedModel(res[o]);
  return { method: "out-of-bag", rows: res.plqy.length, abs: fit("abs"), pla: fit("pla"), plqy: fit("plqy") };
}
