import { denormalize, fromArray, normalize, toArray, type Condition, type SearchSpace } from "../problem/space.js";
import type { ExcludedBall } from "../optimize/optimizeAcqf.js";

/** Condition (physical units) -> unit-cube point [d]. */
export function toUnit(space: SearchSpace, c: Condition): number[] {
  return normalize(space, toArray(space, c));
}

/**
 * Unit-cube point -> condition in physical units, clamped into the bounds so rounding
 * in denormalisation can never put an input outside its range.
 */
export function toCondition(space: SearchSpace, z: readonly number[]): Condition {
  const x = denormalize(space, z).map((v, i) => {
    const [lo, hi] = space.inputs[i].bounds;
    return Math.min(hi, Math.max(lo, v));
  });
  return fromArray(space, x);
}

/** Exclusion balls of one radius around points. */
export function balls(points: readonly (readonly number[])[], radius: number): ExcludedBall[] {
  return points.map((center) => ({ center, radius }));
}
