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
