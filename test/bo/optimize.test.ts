import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { feasibleSetOf, isFeasible, optimizeAcqf, project, unitCube, type OptimizeAcqfInputs } from "../../src/bo/optimize/index.js";
import type { AcquisitionObjective } from "../../src/bo/acquisition/index.js";
import { CONSTRAINED_SPACE } from "../../src/bo/testing/index.js";
import { DEFAULT_SPACE, totalFlowConstraint, type SearchSpace } from "../../src/twin/space.js";
import { SdflError, UsageError } from "../../src/core/errors.js";

const point = fc.array(fc.double({ min: -0.5, max: 1.5, noNaN: true }), { minLength: 5, maxLength: 5 });
const constrained = feasibleSetOf(CONSTRAINED_SPACE);

/** -||x - c||^2 with analytic gradient, or without (finite differences). */
function quadratic(c: number[], withGradient: boolean): AcquisitionObjective {
  const value = (X: readonly (readonly number[])[]) => Float64Array.from(X.map((x) => -x.reduce((s, v, i) => s + (v - c[i]) ** 2, 0)));
  if (!withGradient) return { value };
  return {
    value,
    valueAndGradient: (X) => ({ value: value(X), gradient: Float64Array.from(X.flatMap((x) => x.map((v, i) => -2 * (v - c[i])))) }),
  };
}

describe("feasible set from the search space", () => {
  it("the default space's mass-transfer minimum (576) is inactive: total flow is 600-900", () => {
    expect(feasibleSetOf(DEFAULT_SPACE).bands).toEqual([]);
  });

  it("a total-flow limit becomes one band; impossible limits are refused", () => {
    expect(constrained.bands.length).toBe(1);
    const impossible: SearchSpace = { ...DEFAULT_SPACE, constraints: [totalFlowConstraint(300, 500)] };
    expect(() => feasibleSetOf(impossible)).toThrow(SdflError);
    const massTransfer: SearchSpace = { ...DEFAULT_SPACE, constraints: [totalFlowConstraint(700)] };
    expect(feasibleSetOf(massTransfer).bands.length).toBe(1);
  });

  it("projection lands in the set, is idempotent, and is no farther than any feasible point (property)", () => {
    fc.assert(
      fc.property(point, point, (y, other) => {
        const p = project(constrained, y);
        expect(isFeasible(constrained, p, 1e-9)).toBe(true);
        const pp = project(constrained, p);
        pp.forEach((v, i) => expect(v).toBeCloseTo(p[i], 9));
        const q = project(constrained, other); // any feasible point
        const dist = (a: number[]) => Math.hypot(...a.map((v, i) => v - y[i]));
        expect(dist(p)).toBeLessThanOrEqual(dist(q) + 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});

describe("optimizeAcqf", () => {
  const base: OptimizeAcqfInputs = { objective: quadratic([0.3, 0.3, 0.3, 0.3, 0.3], true), feasible: unitCube(5), rawSamples: 64, restarts: 4, seed: 1 };

  it("refuses bad inputs before doing any work", () => {
    let calls = 0;
    const objective: AcquisitionObjective = {
      value: (X) => {
        calls++;
        return new Float64Array(X.length);
      },
    };
    const bad: Partial<OptimizeAcqfInputs>[] = [
      { rawSamples: 0 },
      { rawSamples: 1.5 },
      { restarts: -1 },
      { restarts: 100 },
      { maxIterations: 0 },
      { seed: NaN },
      { feasible: { lower: [0, 1], upper: [1, 0], bands: [] } },
      { feasible: { lower: [], upper: [], bands: [] } },
      { feasible: { lower: [0, 0], upper: [1, 1], bands: [{ coef: [1, 1], lo: 3, hi: 4, label: "sum" }] } },
      { excluded: [{ center: [0.5], radius: 0.1 }] },
      { finiteDifference: "backward" as "forward" },
      { extraCandidates: [[0.5, NaN, 0.5, 0.5, 0.5]] },
    ];
    for (const b of bad) expect(() => optimizeAcqf({ ...base, objective, ...b } as OptimizeAcqfInputs)).toThrow(UsageError);
    expect(calls).toBe(0);
  });

  it("finds the maximum of a quadratic inside the box, with and without gradients (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.05, max: 0.95, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.boolean(),
        fc.constantFrom("central", "forward"),
        (c, grad, scheme) => {
          const r = optimizeAcqf({ ...base, objective: quadratic(c, grad), finiteDifference: scheme as "central" | "forward" });
          r.x.forEach((v, i) => expect(Math.abs(v - c[i])).toBeLessThan(1e-4));
        },
      ),
      { numRuns: 20 },
    );
  });

  it("evaluates extra candidates: a spike between the raw samples is found through one, never inside an excluded ball", () => {
    const c = [0.123, 0.456, 0.789, 0.321, 0.654];
    const spike: AcquisitionObjective = { value: (X) => Float64Array.from(X, (x) => (Math.hypot(...x.map((v, i) => v - c[i])) < 1e-3 ? 1 : 0)) };
    const inputs = { ...base, objective: spike, restarts: 0 };
    expect(optimizeAcqf({ ...inputs, extraCandidates: [c] }).value).toBe(1);
    expect(optimizeAcqf({ ...inputs, extraCandidates: [c], excluded: [{ center: c, radius: 0.01 }] }).value).toBe(0);
  });

  it("with an active total-flow band, returns the projection of the unconstrained optimum", () => {
    const c = [0.5, 1, 1, 1, 1]; // maximum flow: outside the band
    const r = optimizeAcqf({ ...base, objective: quadratic(c, true), feasible: constrained });
    expect(isFeasible(constrained, r.x)).toBe(true);
    const p = project(constrained, c);
    r.x.forEach((v, i) => expect(v).toBeCloseTo(p[i], 4));
  });

  it("never returns a point inside an excluded ball, even when the optimum is there", () => {
    const c = [0.3, 0.3, 0.3, 0.3, 0.3];
    const r = optimizeAcqf({ ...base, excluded: [{ center: c, radius: 0.05 }] });
    expect(Math.hypot(...r.x.map((v, i) => v - c[i]))).toBeGreaterThanOrEqual(0.05);
    expect(Math.hypot(...r.x.map((v, i) => v - c[i]))).toBeLessThan(0.06);
  });

  it("is deterministic for a seed", () => {
    const obj: AcquisitionObjective = { value: (X) => Float64Array.from(X.map((x) => Math.sin(9 * x[0]) * Math.cos(7 * x[1]) + x[2])) };
    const a = optimizeAcqf({ ...base, objective: obj, seed: 5 });
    const b = optimizeAcqf({ ...base, objective: obj, seed: 5 });
    expect(a.x).toEqual(b.x);
  });
});
