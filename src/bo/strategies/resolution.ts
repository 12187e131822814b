import { roundToStep } from "../problem/problem.js";
import { toArray, type Condition, type InputSpec, type SearchSpace } from "../problem/space.js";

export { roundToStep };

/** Fraction of an input's range used as its resolution when the space gives none. */
export const DEFAULT_RELATIVE_RESOLUTION = 1e-3;

/** An input's resolution in its own unit: `spec.resolution`, else 1e-3 of its range. */
export function resolutionOf(spec: InputSpec): number {
  const r = spec.resolution;
  return r !== undefined && Number.isFinite(r) && r > 0 ? r : DEFAULT_RELATIVE_RESOLUTION * (spec.bounds[1] - spec.bounds[0]);
}

/**
 * Minimum unit-cube (Euclidean) distance between a proposal and any observed or pending
 * point, derived from the inputs' resolutions: sqrt(d) * 2 * max_i(res_i / range_i).
 * Why: a unit-cube distance of at least R means some input j differs by at least
 * R / sqrt(d) >= 2 res_j / range_j, i.e. by two resolution steps; rounding both points to
 * the resolution moves each by at most half a step, so the rounded conditions still
 * differ by at least one step in input j — a different experiment on the hardware.
 * For the default space (0.1 degC, 0.1 uL/min) this is 0.0112: about 0.7 degC or
 * 0.45 uL/min along a single input.
 */
export function minProposalDistance(space: SearchSpace): number {
  const d = space.inputs.length;
  const worst = Math.max(...space.inputs.map((s) => resolutionOf(s) / (s.bounds[1] - s.bounds[0])));
  return Math.sqrt(d) * 2 * worst;
}

/** The condition rounded to each input's resolution (what a lab can actually set). */
export function roundCondition(space: SearchSpace, c: Condition): number[] {
  const x = toArray(space, c);
  return space.inputs.map((s, i) => roundToStep(x[i], resolutionOf(s)));
}

/**
 * True when two conditions are the same experiment at the lab's resolution: rounded to
 * each input's resolution they are equal in every input, or every input differs by less
 * than one resolution step (e.g. 100.049 and 100.051 uL/min round apart but are one flow).
 */
export function sameExperiment(space: SearchSpace, a: Condition, b: Condition): boolean {
  const ra = roundCondition(space, a);
  const rb = roundCondition(space, b);
  if (ra.every((v, i) => v === rb[i])) return true;
  const xa = toArray(space, a);
  const xb = toArray(space, b);
  return space.inputs.every((s, i) => Math.abs(xa[i] - xb[i]) < resolutionOf(s));
}
