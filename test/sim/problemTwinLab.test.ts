import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseProblem } from "../../src/bo/problem/parseProblem.js";
import { objectiveOf, type ProblemDefinition } from "../../src/bo/problem/problem.js";
import { Rng } from "../../src/core/rng.js";
import { paramLayout, toCascadeMember } from "../../src/twin/enn/arch.js";
import { ProblemTwin } from "../../src/twin/generic/problemTwin.js";
import { ProblemTwinLab, whyNotTwinProblem } from "../../src/sim/problemTwinLab.js";

const DEFINITION: ProblemDefinition = {
  name: "two-outcomes",
  inputs: [
    { name: "x0", unit: "s", bounds: [0, 10] },
    { name: "x1", unit: "degC", bounds: [20, 80] },
  ],
  outcomes: [
    { name: "a", unit: "%" },
    { name: "b", unit: "%" },
  ],
  objective: { name: "f", formula: "a - 0.5 * b + x0", goal: "minimize" },
};

/** A problem twin with random weights (the lab's arithmetic, not a trained model, is under test). */
function randomTwin(seed: number): ProblemTwin {
  const rng = new Rng(seed);
  const problem = parseProblem(DEFINITION);
  const layout = paramLayout({ d: 2, widths: [5], nOut: 1 });
  const outcome = (name: string) => ({
    name,
    unit: "%",
    scaling: { min: rng.range(-5, 0), max: rng.range(1, 5) },
    members: Array.from({ length: 3 }, () =>
      toCascadeMember(
        layout,
        Array.from({ length: layout.size }, () => rng.range(-1, 1)),
      ),
    ),
  });
  return new ProblemTwin({ problem, source: "random", inputs: ["x0", "x1"], inputBounds: [[0, 10], [20, 80]], outcomes: [outcome("a"), outcome("b")] }); // prettier-ignore
}

const point = fc.record({ x0: fc.double({ min: 0, max: 10, noNaN: true }), x1: fc.double({ min: 20, max: 80, noNaN: true }) });

describe("ProblemTwinLab", () => {
  it("noise-free, a run reports the twin's mean outcomes and exactly the true objective; with noise, the objective is the formula of the noisy outcomes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1e6 }), point, fc.double({ min: 0.01, max: 0.3, noNaN: true }), async (seed, c, rsd) => {
        const twin = randomTwin(seed);
        const exact = new ProblemTwinLab(twin, { noise: "none", seed });
        const m = await exact.run(c);
        const post = twin.predict([[c.x0, c.x1]]);
        expect(m.outcomes).toEqual({ a: post.outcomes.a.mean[0], b: post.outcomes.b.mean[0] });
        expect(m.objective).toBe(exact.evaluateTrue([c])[0]);
        expect(m.objective).toBeCloseTo(post.outcomes.a.mean[0] - 0.5 * post.outcomes.b.mean[0] + c.x0, 9);
        const noisy = await new ProblemTwinLab(twin, { noise: rsd, seed }).run(c);
        expect(noisy.objective).toBe(objectiveOf(twin.problem, noisy.outcomes, c));
        expect(noisy.outcomes.a).not.toBe(m.outcomes.a);
        // Seeded: the same seed gives the same reading.
        expect((await new ProblemTwinLab(twin, { noise: rsd, seed }).run(c)).outcomes).toEqual(noisy.outcomes);
      }),
      { numRuns: 30 },
    );
  });

  it("accepts the twin's problem and narrowings of it (bounds, a fixed input); refuses wider bounds, another objective or other inputs", async () => {
    const twin = randomTwin(7);
    const with_ = (d: Partial<ProblemDefinition>) => parseProblem({ ...DEFINITION, ...d });
    expect(whyNotTwinProblem(twin.problem, twin)).toBeUndefined();
    const fixed = with_({ inputs: [{ name: "x0", unit: "s", fixed: 4 }, DEFINITION.inputs[1]] });
    expect(whyNotTwinProblem(fixed, twin)).toBeUndefined();
    const lab = new ProblemTwinLab(twin, { noise: "none", seed: 1, problem: fixed });
    // The fixed value reaches the twin: the truth at x1 = 50 is the twin's at (4, 50).
    const p = twin.predict([[4, 50]]);
    expect(lab.evaluateTrue([{ x1: 50 }])[0]).toBeCloseTo(p.outcomes.a.mean[0] - 0.5 * p.outcomes.b.mean[0] + 4, 9);
    expect(whyNotTwinProblem(with_({ inputs: [DEFINITION.inputs[0], { name: "x1", unit: "degC", bounds: [30, 60] }] }), twin)).toBeUndefined();
    expect(whyNotTwinProblem(with_({ inputs: [DEFINITION.inputs[0], { name: "x1", unit: "degC", bounds: [10, 60] }] }), twin)).toMatch(
      /bounds of x1 \(10 to 60 degC\) reach beyond the twin's \(20 to 80\)/,
    );
    expect(whyNotTwinProblem(with_({ inputs: [{ name: "x0", unit: "s", fixed: 12 }, DEFINITION.inputs[1]] }), twin)).toMatch(/fixed value of x0 \(12 s\)/);
    expect(whyNotTwinProblem(with_({ objective: { outcome: "a", goal: "maximize" } }), twin)).toMatch(/its objective \(maximize a\) is not the twin's/);
    expect(whyNotTwinProblem(with_({ inputs: [DEFINITION.inputs[0], { name: "y", unit: "degC", bounds: [20, 80] }], objective: { outcome: "a", goal: "minimize" } }), twin)).toMatch(/its inputs \(x0, y\)/); // prettier-ignore
    expect(() => new ProblemTwinLab(twin, { noise: "none", seed: 1, problem: with_({ objective: { outcome: "a", goal: "minimize" } }) })).toThrow(
      /does not fit the twin/,
    );
    expect(() => new ProblemTwinLab(twin, { noise: "loud", seed: 1 })).toThrow(/noise "loud" is not understood/);
  });
});
