import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { SyntheticLab, PLQY_SCALE } from "../../src/bo/oracles/syntheticLab.js";
import { BRANIN, HARTMANN6, branin, hartmann6 } from "../../src/bo/oracles/testFunctions.js";
import { BoundsError } from "../../src/core/errors.js";
import { DEFAULT_SPACE, denormalize, paperCondition } from "../../src/twin/space.js";

const at = (z: number[]) => paperCondition(denormalize(DEFAULT_SPACE, z));
const unit5 = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 });

describe("test functions", () => {
  it("match the literature values", () => {
    expect(branin(Math.PI, 2.275)).toBeCloseTo(0.397887, 6);
    expect(branin(-Math.PI, 12.275)).toBeCloseTo(0.397887, 6);
    expect(branin(9.42478, 2.475)).toBeCloseTo(0.397887, 5);
    expect(hartmann6([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573])).toBeCloseTo(-3.32237, 5);
    expect(BRANIN.f(BRANIN.argmax as number[])).toBeCloseTo(BRANIN.max, 10);
    expect(HARTMANN6.f(HARTMANN6.argmax as number[])).toBeCloseTo(HARTMANN6.max, 6);
  });
  it("never exceed their stated maximum or go below their minimum (property)", () => {
    for (const fn of [BRANIN, HARTMANN6]) {
      fc.assert(
        fc.property(unit5, (z) => fn.f(z) <= fn.max + 1e-9 && fn.f(z) >= fn.min - 1e-9),
        { numRuns: 500 },
      );
    }
  });
});

describe("SyntheticLab", () => {
  it("scales the truth to [0, 0.3] with the maximum at the known optimum", () => {
    for (const fn of [BRANIN, HARTMANN6]) {
      const lab = new SyntheticLab(fn, { noise: 0, seed: 1, space: DEFAULT_SPACE });
      expect(lab.evaluateTrue([at(fn.argmax as number[])])[0]).toBeCloseTo(PLQY_SCALE, 6);
      fc.assert(
        fc.property(unit5, (z) => {
          const v = lab.evaluateTrue([at(z)])[0];
          return v >= -1e-12 && v <= PLQY_SCALE + 1e-9;
        }),
        { numRuns: 200 },
      );
    }
  });
  it("measures with the requested relative noise, reproducibly per seed, and a consistent PLQY proxy", async () => {
    const c = at([0.2, 0.15, 0.48, 0.28, 0.31]);
    const lab = new SyntheticLab(HARTMANN6, { noise: 0.04, seed: 7, space: DEFAULT_SPACE });
    const truth = lab.evaluateTrue([c])[0];
    const rel: number[] = [];
    for (let i = 0; i < 2000; i++) rel.push((await lab.run(c)).objective / truth - 1);
    const mean = rel.reduce((a, b) => a + b, 0) / rel.length;
    const sd = Math.sqrt(rel.reduce((a, b) => a + (b - mean) ** 2, 0) / (rel.length - 1));
    expect(Math.abs(mean)).toBeLessThan(0.004);
    expect(sd).toBeGreaterThan(0.036);
    expect(sd).toBeLessThan(0.044);
    const a = await new SyntheticLab(HARTMANN6, { noise: 0.04, seed: 3, space: DEFAULT_SPACE }).run(c);
    const b = await new SyntheticLab(HARTMANN6, { noise: 0.04, seed: 3, space: DEFAULT_SPACE }).run(c);
    expect(a).toEqual(b);
    expect(a.finishedAt).toBeGreaterThan(a.startedAt);
  });
  it("refuses a condition outside the search space with a BoundsError", async () => {
    const lab = new SyntheticLab(BRANIN, { noise: 0, seed: 1, space: DEFAULT_SPACE });
    await expect(lab.run({ T: 200, CuI: 100, ZnI2: 100, CsOA: 50, ODE: 250 })).rejects.toThrow(BoundsError);
  });
});
describe("classic test problems at their own dimension", () => {
  it("Branin is 2-D and Hartmann-6 6-D on their classic boxes, minimised, with the published minima", async () => {
    const { TEST_PROBLEMS } = await import("../../src/bo/oracles/testProblems.js");
    const { parseProblem } = await import("../../src/bo/problem/parseProblem.js");
    const { FunctionLab } = await import("../../src/bo/oracles/functionLab.js");
    const { toArray } = await import("../../src/bo/problem/space.js");
    expect(Object.keys(TEST_PROBLEMS)).toEqual(["branin", "hartmann6"]);
    const dims = { branin: 2, hartmann6: 6 } as Record<string, number>;
    for (const t of Object.values(TEST_PROBLEMS)) {
      const p = parseProblem(t.problem);
      expect(p.space.inputs).toHaveLength(dims[t.name]);
      expect(p.objective.goal).toBe("minimize");
      expect(t.f(t.argmin)).toBeCloseTo(t.optimum, 6);
      const lab = new FunctionLab(p, (cs) => cs.map((c) => t.f(toArray(p.space, c))), { name: t.name, noise: 0, seed: 1 });
      const at = Object.fromEntries(p.space.inputs.map((s, i) => [s.name, t.argmin[i]]));
      expect((await lab.run(at)).objective).toBeCloseTo(t.optimum, 6);
      // No point of the box beats the published minimum (property).
      fc.assert(
        fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: p.space.inputs.length, maxLength: p.space.inputs.length }), (z) => {
          const x = p.space.inputs.map((s, i) => s.bounds[0] + z[i] * (s.bounds[1] - s.bounds[0]));
          expect(t.f(x)).toBeGreaterThanOrEqual(t.optimum - 1e-9);
        }),
      );
    }
    expect(TEST_PROBLEMS.branin.optimum).toBeCloseTo(0.397887, 6);
    expect(TEST_PROBLEMS.hartmann6.optimum).toBeCloseTo(-3.32237, 5);
  });
});
