import { UsageError } from "../core/errors.js";

/**
 * A declared measurement-noise level: an absolute standard deviation in objective units,
 * or a relative one (a fraction of the reading, as the lab's noise usually is). Surrogates
 * with a noise term (the GP) fix it instead of estimating it.
 */
export type NoiseLevel = { kind: "absolute"; sd: number } | { kind: "relative"; sd: number };

/**
 * Parse `--noise-sd`: "0.01" (absolute, objective units) or "4%" (relative to the
 * reading). A UsageError names the flag and the allowed forms.
 */
export function parseNoiseLevel(text: string, flag = "--noise-sd"): NoiseLevel {
  const t = text.trim();
  const rel = t.endsWith("%");
  const v = Number(rel ? t.slice(0, -1) : t);
  if (t === "" || !Number.isFinite(v) || !(v > 0) || (rel && v >= 100))
    throw new UsageError(
      `${flag} ${text}: not a noise level`,
      `give a standard deviation > 0 in objective units (e.g. ${flag} 0.008) or relative to the reading (e.g. ${flag} 4%)`,
    );
  return rel ? { kind: "relative", sd: v / 100 } : { kind: "absolute", sd: v };
}

/**
 * The noise variance for readings `y` [n], objective units squared: sd^2, or for a
 * relative level (sd x mean |y|)^2 (a homoscedastic stand-in for noise proportional to
 * the reading).
 */
export function noiseVariance(level: NoiseLevel, y: readonly number[]): number {
  if (level.kind === "absolute") return level.sd ** 2;
  const meanAbs = y.reduce((a, v) => a + Math.abs(v), 0) / Math.max(1, y.length);
  return Math.max(1e-12, (level.sd * meanAbs) ** 2);
}

/**
 * Floor of {@link relativeNoiseModel}, as a fraction of the largest level: readings near 0
 * still get a noise sd of sd x floor x (largest level), so the GP never has to interpolate
 * them exactly.
 */
export const RELATIVE_NOISE_FLOOR = 0.02;

/**
 * Known noise proportional to the level of each observation, as a constant part plus a
 * part proportional to weights in [0, 1]: observation i has noise variance
 * `constant + proportional * weights[i]` = sd^2 (floor^2 ref^2 + level_i^2), objective
 * units squared.
 */
export interface HeteroscedasticNoise {
  /** (sd x floor x ref)^2, objective units squared. */
  constant: number;
  /** (sd x ref)^2: the variance added at the largest level, objective units squared. */
  proportional: number;
  /** Largest |level|, objective units (> 0). */
  ref: number;
  /** (level_i / ref)^2, shape [n], each in [0, 1]. */
  weights: Float64Array;
}

/**
 * The noise of a relative level `sd` (a fraction, 0.04 for 4 %) at observations whose
 * noise-free level is estimated by `levels` [n] (objective units: the readings, or a
 * model's smoothed values at the observed points). Undefined when every level is 0 or
 * not finite, or so small that the variance underflows (no scale to be relative to).
 */
export function relativeNoiseModel(sd: number, levels: readonly number[], floor = RELATIVE_NOISE_FLOOR): HeteroscedasticNoise | undefined {
  let ref = 0;
  for (const v of levels) if (Number.isFinite(v)) ref = Math.max(ref, Math.abs(v));
  const proportional = (sd * ref) ** 2;
  // A scale so small that its square underflows is no scale either.
  if (!(proportional > 0) || !Number.isFinite(proportional)) return undefined;
  return {
    constant: (sd * floor * ref) ** 2,
    proportional,
    ref,
    weights: Float64Array.from(levels, (v) => (Number.isFinite(v) ? (v / ref) ** 2 : 1)),
  };
}

/**
 * Largest noise variance {@link shapedNoiseModel} gives one observation, as a multiple of
 * the pooled variance (sd at most 3 x the pooled sd), so a few large readings cannot be
 * explained away as noise.
 */
export const SHAPED_NOISE_CAP = 9;

/**
 * An estimated pooled (homoscedastic) noise variance `pooled` (objective units squared)
 * redistributed over the observations in proportion to their squared level (relative
 * noise), keeping the mean variance: v_i = pooled (level_i^2 + (floor ref)^2) /
 * mean_j(level_j^2 + (floor ref)^2), each capped at {@link SHAPED_NOISE_CAP} x pooled.
 * `levels` [n] in objective units (a model's smoothed values at the observed points).
 * Undefined when every level is 0 or not finite, or `pooled` is not > 0.
 */
export function shapedNoiseModel(
  pooled: number,
  levels: readonly number[],
  floor = RELATIVE_NOISE_FLOOR,
  cap = SHAPED_NOISE_CAP,
): HeteroscedasticNoise | undefined {
  const unit = relativeNoiseModel(1, levels, floor);
  if (!unit || !(pooled > 0) || !Number.isFinite(pooled)) return undefined;
  // Scale-free: the variance of observation i is pooled (floor^2 + w_i) / mean_j(floor^2 + w_j).
  let meanW = 0;
  for (const w of unit.weights) meanW += floor * floor + w;
  meanW /= unit.weights.length;
  const proportional = pooled / meanW;
  const constant = floor * floor * proportional;
  const wMax = (cap * pooled - constant) / proportional;
  return { constant, proportional, ref: unit.ref, weights: unit.weights.map((w) => Math.min(w, wMax)) };
}
