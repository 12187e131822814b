import { fitCalibratedModel, type CalibrationResidual, type PredictiveCalibration, type VarianceModel } from "./calibration.js";
import { networkInputs, type CascadeEnsembleSpec } from "./cascadeEnsemble.js";
import { JsCascadePredictor } from "./jsPredictor.js";
import { plqyProxy } from "./plqy.js";

/** Measured rows: inputs in physical units [n][d] and the two features [n]. */
export interface MeasuredRows {
  X: readonly (readonly number[])[];
  abs: readonly number[];
  pla: readonly number[];
}

/** One out-of-bag residual, with what produced it. */
export interface OutOfBagResidual extends CalibrationResidual {
  /** Data row. */
  row: number;
  /** Members that did not train on the row (the out-of-bag ensemble). */
  members: number;
  /** Variance of all members' predictions at the row (n-1 denominator), in-bag ones included. */
  ensembleVar: number;
  /**
   * Temperature gap squared: per out-of-bag member, the distance in the first input (T) to
   * the nearest row it trained on, as a fraction of the input's range, squared; averaged over
   * those members (0: a member trained on a row at the same T). For calibration studies.
   */
  gapSq: number;
}

/** Out-of-bag residuals per output (rows with fewer than 2 out-of-bag members are skipped). */
export type OutOfBagResiduals = Record<"abs" | "pla" | "plqy", OutOfBagResidual[]>;

/**
 * Out-of-bag residuals: row i is predicted by the members that never trained on it
 * (`heldOut[k]` lists member k's); rows with fewer than 2 such members are skipped. The
 * smaller out-of-bag ensemble's extra error of the mean, var_members * (1/m_i - 1/M), is
 * the residual's `extraVar`, so a model fitted on them describes the full M-member ensemble.
 */
export function outOfBagResiduals(spec: CascadeEnsembleSpec, rows: MeasuredRows, heldOut: readonly (readonly number[])[]): OutOfBagResiduals {
  const n = rows.X.length;
  const M = spec.members.length;
  const d = spec.inputs.length;
  const y = new JsCascadePredictor(spec).forward(networkInputs(spec, rows.X), n, d);
  const { min, max } = spec.outputScaling;
  const inBag: number[][] = Array.from({ length: n }, () => []);
  heldOut.forEach((rowsOut, k) => rowsOut.forEach((i) => i < n && inBag[i].push(k)));
  const res: OutOfBagResiduals = { abs: [], pla: [], plqy: [] };
  const variance = (v: number[]): number => {
    const mean = v.reduce((s, t) => s + t, 0) / v.length;
    return v.reduce((s, t) => s + (t - mean) ** 2, 0) / (v.length - 1);
  };
  const memberValues = (k: number, i: number) => {
    const a = min[0] + y[(k * n + i) * 2] * (max[0] - min[0]);
    const p = min[1] + y[(k * n + i) * 2 + 1] * (max[1] - min[1]);
    return { abs: a, pla: p, plqy: plqyProxy(a, p, spec.plqyReference) };
  };
  const range = spec.inputBounds[0][1] - spec.inputBounds[0][0];
  const outOf = heldOut.map((rowsOut) => new Set(rowsOut));
  const gapSq = (i: number, k: number): number => {
    let g = Infinity;
    for (let j = 0; j < n; j++) if (!outOf[k].has(j)) g = Math.min(g, Math.abs(rows.X[i][0] - rows.X[j][0]) / range);
    return Number.isFinite(g) ? g * g : 0;
  };
  for (let i = 0; i < n; i++) {
    const ks = inBag[i];
    const gap = ks.reduce((s, k) => s + gapSq(i, k), 0) / Math.max(ks.length, 1);
    if (ks.length < 2) continue;
    const vals = ks.map((k) => memberValues(k, i));
    const all = Array.from({ length: M }, (_, k) => memberValues(k, i));
    const truth = { abs: rows.abs[i], pla: rows.pla[i], plqy: plqyProxy(rows.abs[i], rows.pla[i], spec.plqyReference) };
    for (const o of ["abs", "pla", "plqy"] as const) {
      const v = vals.map((t) => t[o]);
      const mean = v.reduce((s, t) => s + t, 0) / v.length;
      const memberVar = variance(v);
      res[o].push({
        row: i,
        members: v.length,
        residual: truth[o] - mean,
        mean,
        memberVar,
        extraVar: memberVar * Math.max(0, 1 / v.length - 1 / M),
        ensembleVar: variance(all.map((t) => t[o])),
        gapSq: gap,
      });
    }
  }
  return res;
}

/**
 * Out-of-bag residuals with smoothed member variances: each row's out-of-bag variance (from
 * 2-3 members, so very noisy; a model fitted on it as if exact under-weights the member
 * spread) is replaced by the mean of itself and the all-member variance at the row, the
 * latter rescaled so that both sum to the same over the rows (in-bag members shrink the
 * all-member spread at the rows they trained on). extraVar keeps its ratio 1/m - 1/M.
 */
export function smoothedResiduals(res: readonly OutOfBagResidual[]): OutOfBagResidual[] {
  const ratio =
    res.reduce((s, r) => s + r.memberVar, 0) /
    Math.max(
      res.reduce((s, r) => s + r.ensembleVar, 0),
      1e-300,
    );
  return res.map((r) => {
    const v = 0.5 * r.memberVar + 0.5 * r.ensembleVar * ratio;
    return { ...r, memberVar: v, extraVar: r.memberVar > 0 ? (v * r.extraVar) / r.memberVar : 0 };
  });
}

/**
 * Fit the predictive variance model of each output on the out-of-bag residuals
 * ({@link outOfBagResiduals}), with their own member variances or smoothed ones
 * ({@link smoothedResiduals}). Undefined when fewer than 3 rows qualify.
 */
export function outOfBagCalibration(
  spec: CascadeEnsembleSpec,
  rows: MeasuredRows,
  heldOut: readonly (readonly number[])[],
  res: OutOfBagResiduals = outOfBagResiduals(spec, rows, heldOut),
  variance: "out-of-bag" | "smoothed" = "out-of-bag",
): PredictiveCalibration | undefined {
  if (res.plqy.length < 3) return undefined;
  const fit = (o: "abs" | "pla" | "plqy"): VarianceModel => fitCalibratedModel(variance === "smoothed" ? smoothedResiduals(res[o]) : res[o]);
  return {
    method: variance === "smoothed" ? "out-of-bag (smoothed member variances)" : "out-of-bag",
    rows: res.plqy.length,
    abs: fit("abs"),
    pla: fit("pla"),
    plqy: fit("plqy"),
  };
}
