import fc from "fast-check";
import type { Condition, SearchSpace } from "../problem/space.js";
import { dimension, showUnit, unitOf } from "./spaces.js";

/** The shapes of the suite's test objectives. */
export type ObjectiveShape = "bowl" | "bump" | "bowl+side-peak";

/**
 * A test objective on the unit cube of a space: smooth, values in (0, 1], maximum 1 at `peak`.
 * Peaks lie anywhere in the box, on faces, edges and corners too.
 */
export interface TestObjective {
  shape: ObjectiveShape;
  /** Location of the maximum in the unit cube, shape [d]. */
  peak: number[];
  /** Relative weight of each input in the distance (anisotropy), shape [d], in [0.5, 2]. */
  weights: number[];
  /** Width of the bump (unit-cube RMS distance), for "bump". */
  width: number;
  /** Second, lower local maximum (0.8) for "bowl+side-peak", shape [d]. */
  side: number[];
}

/** Weighted mean squared unit-cube distance, in [0, 1]. */
function r2(z: readonly number[], c: readonly number[], w: readonly number[]): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < c.length; i++) {
    s += w[i] * (z[i] - c[i]) ** 2;
    sw += w[i];
  }
  return s / sw;
}

/** Value of the objective at a unit-cube point (in (0, 1], 1 at the peak). */
export function objectiveAtUnit(o: TestObjective, z: readonly number[]): number {
  const main = (() => {
    switch (o.shape) {
      case "bowl":
      case "bowl+side-peak":
        return 0.05 + 0.95 * (1 - r2(z, o.peak, o.weights));
      case "bump":
        return 0.05 + 0.95 * Math.exp(-r2(z, o.peak, o.weights) / (2 * o.width * o.width));
    }
  })();
  if (o.shape !== "bowl+side-peak") return main;
  return Math.max(main, 0.8 * Math.exp(-r2(z, o.side, o.weights) / (2 * 0.15 * 0.15)));
}

/** True objective of a condition (physical units) in a space. */
export function objectiveAt(o: TestObjective, space: SearchSpace, c: Condition): number {
  return objectiveAtUnit(o, unitOf(space, c));
}

/** "bowl peaking at (T 0, CuI 1, ...)" for counterexamples. */
export function describeObjective(o: TestObjective, space: SearchSpace): string {
  const extra = o.shape === "bump" ? ` width ${o.width.toFixed(2)}` : o.shape === "bowl+side-peak" ? `, side peak 0.8 at ${showUnit(space, o.side)}` : "";
  return `${o.shape}${extra} peaking at ${showUnit(space, o.peak)}`;
}

/** A peak coordinate: on the lower face a quarter of the time, the upper face a quarter, else anywhere. */
const peakCoordinate = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.constant(1) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
);

/**
 * fast-check arbitrary of test objectives in `d` dimensions: a bowl, a Gaussian bump (width
 * 0.3-0.6) or a bowl with a lower side peak, with the maximum on a corner, an edge, a face or
 * inside the box, and random anisotropy.
 */
export function objectiveArbitrary(d: number): fc.Arbitrary<TestObjective> {
  const point = fc.array(peakCoordinate, { minLength: d, maxLength: d });
  return fc.record({
    shape: fc.constantFrom<ObjectiveShape>("bowl", "bump", "bowl+side-peak"),
    peak: point,
    weights: fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: d, maxLength: d }),
    width: fc.double({ min: 0.3, max: 0.6, noNaN: true }),
    side: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: d, maxLength: d }),
  });
}

/** Objectives for a space (its dimension). */
export const objectivesFor = (space: SearchSpace): fc.Arbitrary<TestObjective> => objectiveArbitrary(dimension(space));
