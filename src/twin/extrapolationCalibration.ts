import { predictiveVariance, type PredictiveCalibration } from "./calibration.js";
import { networkInputs, type CascadeEnsembleSpec } from "./cascadeEnsemble.js";
import type { CascadeMember } from "./cascade.js";
import { extrapolationSq, fitExtrapolationFactor, gapSq, trainingRange, trainingValues, type ExtrapolationResidual } from "./extrapolation.js";
import { JsCascadePredictor } from "./jsPredictor.js";
import type { MeasuredRows } from "./outOfBagCalibration.js";
import { plqyProxy } from "./plqy.js";

type Output = "abs" | "pla" | "plqy";
const OUTPUTS: readonly Output[] = ["abs", "pla", "plqy"];

/**
 * Single-member out-of-bag residuals with their squared extrapolation distance, per output:
 * every member (the ensemble's own, `heldOut[k]`, and the calibration-only edge-slab
 * members, `slabMembers` with `slabHeldOut`) predicts each row it did not train on;
 * e^2 is measured from that member's training rows. A residual's base variance is what a
 * single member's error has at the row without extrapolation: the ensemble's calibrated
 * predictive variance plus the member spread, both from all ensemble members there.
 */
export function extrapolationResiduals(
  spec: CascadeEnsembleSpec,
  rows: MeasuredRows,
  heldOut: readonly (readonly number[])[],
  slabMembers: readonly CascadeMember[],
  slabHeldOut: readonly (readonly number[])[],
  calibration: PredictiveCalibration,
  distance: "range" | "gaps" = "range",
): Record<Output, ExtrapolationResidual[]> {
  const n = rows.X.length;
  const d = spec.inputs.length;
  const z = networkInputs(spec, rows.X);
  const values = (members: readonly CascadeMember[]): Record<Output, Float64Array> => {
    const m = members.length;
    const out = { abs: new Float64Array(m * n), pla: new Float64Array(m * n), plqy: new Float64Array(m * n) };
    if (m === 0) return out;
    const y = new JsCascadePredictor({ inputs: spec.inputs, members: [...members] }).forward(z, n, d);
    const { min, max } = spec.outputScaling;
    for (let j = 0; j < m * n; j++) {
      out.abs[j] = min[0] + y[j * 2] * (max[0] - min[0]);
      out.pla[j] = min[1] + y[j * 2 + 1] * (max[1] - min[1]);
      out.plqy[j] = plqyProxy(out.abs[j], out.pla[j], spec.plqyReference);
    }
    return out;
  };
  const own = values(spec.members);
  const slab = values(slabMembers);
  const M = spec.members.length;
  const truth: Record<Output, number[]> = {
    abs: [...rows.abs],
    pla: [...rows.pla],
    plqy: rows.abs.map((a, i) => plqyProxy(a, rows.pla[i], spec.plqyReference)),
  };
  // Base variance per output and row, from all ensemble members.
  const baseVar = {} as Record<Output, Float64Array>;
  for (const o of OUTPUTS) {
    baseVar[o] = Float64Array.from({ length: n }, (_, i) => {
      let mean = 0;
      for (let k = 0; k < M; k++) mean += own[o][k * n + i] / M;
      let v = 0;
      for (let k = 0; k < M; k++) v += (own[o][k * n + i] - mean) ** 2 / Math.max(M - 1, 1);
      return predictiveVariance(v, calibration[o], mean) + v;
    });
  }
  const res: Record<Output, ExtrapolationResidual[]> = { abs: [], pla: [], plqy: [] };
  const collect = (vals: Record<Output, Float64Array>, k: number, out: readonly number[]): void => {
    const outSet = new Set(out);
    const trainIdx = Array.from({ length: n }, (_, i) => i).filter((i) => !outSet.has(i));
    if (trainIdx.length === 0) return;
    const zt = new Float64Array(trainIdx.length * d);
    trainIdx.forEach((r, a) => {
      for (let j = 0; j < d; j++) zt[a * d + j] = z[r * d + j];
    });
    const range = trainingRange(zt, trainIdx.length, d);
    const values = distance === "gaps" ? trainingValues(zt, trainIdx.length, d) : undefined;
    for (const i of outSet) {
      if (i >= n) continue;
      const e2 = values ? gapSq(range, values, z, i) : extrapolationSq(range, z, i);
      for (const o of OUTPUTS) res[o].push({ residual: truth[o][i] - vals[o][k * n + i], baseVar: baseVar[o][i], e2 });
    }
  };
  heldOut.forEach((out, k) => collect(own, k, out));
  slabHeldOut.forEach((out, s) => collect(slab, s, out));
  return res;
}

/**
 * The calibration with an extrapolation factor per output (ML on
 * {@link extrapolationResiduals}, extrapolation.ts) and the training range of all rows
 * (network-input units) it applies from.
 */
export function withExtrapolation(
  spec: CascadeEnsembleSpec,
  rows: MeasuredRows,
  heldOut: readonly (readonly number[])[],
  slabMembers: readonly CascadeMember[],
  slabHeldOut: readonly (readonly number[])[],
  calibration: PredictiveCalibration,
  distance: "range" | "gaps" = "range",
): PredictiveCalibration {
  const res = extrapolationResiduals(spec, rows, heldOut, slabMembers, slabHeldOut, calibration, distance);
  const n = rows.X.length;
  const z = networkInputs(spec, rows.X);
  return {
    ...calibration,
    method: `${calibration.method} + extrapolation (${distance === "gaps" ? "gaps, block slabs" : "edge slabs"})`,
    abs: { ...calibration.abs, extrapolation: fitExtrapolationFactor(res.abs) },
    pla: { ...calibration.pla, extrapolation: fitExtrapolationFactor(res.pla) },
    plqy: { ...calibration.plqy, extrapolation: fitExtrapolationFactor(res.plqy) },
    trainingRange: trainingRange(z, n, spec.inputs.length),
    ...(distance === "gaps" ? { trainingValues: trainingValues(z, n, spec.inputs.length) } : {}),
  };
}

/**
 * A warm-started refit trains no edge-slab members: it keeps the extrapolation factors of
 * the calibration it starts from (`previous`) on its own freshly fitted calibration
 * (`next`), with the training range of its own rows X (physical units, shape [n][d]).
 * Returns `next` unchanged when `previous` has no extrapolation term.
 */
export function keepExtrapolation(
  previous: PredictiveCalibration | undefined,
  next: PredictiveCalibration | undefined,
  spec: Pick<CascadeEnsembleSpec, "inputBounds" | "inputTransform" | "inputs">,
  X: readonly (readonly number[])[],
): PredictiveCalibration | undefined {
  if (!previous?.trainingRange || !next) return next;
  const keep = (o: Output) => ({ ...next[o], extrapolation: previous[o].extrapolation ?? 0 });
  const kind = /\(((?:edge|gaps)[^)]*?)(?:, kept)?\)$/.exec(previous.method)?.[1];
  const z = networkInputs(spec, X);
  return {
    ...next,
    method: kind && !next.method.includes("+ extrapolation") ? `${next.method} + extrapolation (${kind}, kept)` : next.method,
    abs: keep("abs"),
    pla: keep("pla"),
    plqy: keep("plqy"),
    trainingRange: trainingRange(z, X.length, spec.inputs.length),
    // The gaps are measured from the refit's own rows.
    ...(previous.trainingValues ? { trainingValues: trainingValues(z, X.length, spec.inputs.length) } : {}),
  };
}
