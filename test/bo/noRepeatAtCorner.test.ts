import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createStrategy } from "../../src/bo/strategies/index.js";
import { minProposalDistance, resolutionOf, roundCondition, roundToStep, sameExperiment } from "../../src/bo/strategies/resolution.js";
import { toUnit } from "../../src/bo/strategies/unitSpace.js";
import { optimizeAcqf } from "../../src/bo/optimize/optimizeAcqf.js";
import { unitCube } from "../../src/bo/optimize/feasibleSet.js";
import type { Posterior, Surrogate } from "../../src/bo/surrogate.js";
import { DEFAULT_SPACE, denormalize, paperCondition, type Condition } from "../../src/twin/space.js";

// The corner the campaign engineer saw proposed four times (issue 4).
const CORNER: Condition = { T: 180, CuI: 120, ZnI2: 120, CsOA: 20, ODE: 280 };
const cornerZ = toUnit(DEFAULT_SPACE, CORNER);
const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(...a.map((v, i) => v - b[i]));

/** A surrogate whose mean and variance both peak at CORNER (no fitting, no gradients). */
function cornerPeakSurrogate(): Surrogate {
  return {
    name: "corner-peak",
    fit: async () => ({ seconds: 0, meta: {}, warnings: [] }),
    posterior(X): Posterior {
      const r2 = X.map((x) => dist(x, cornerZ) ** 2);
      return {
        mean: Float64Array.from(r2, (r) => 0.9 - r),
        variance: Float64Array.from(r2, (r) => 0.001 + 0.01 * Math.exp(-r / 0.1)),
        sample: () => {
          throw new Error("not used");
        },
      };
    },
  };
}

const OBSERVATIONS = [
  { condition: CORNER, objective: 0.9 },
  { condition: { T: 150, CuI: 100, ZnI2: 100, CsOA: 50, ODE: 250 }, objective: 0.5 },
  { condition: { T: 130, CuI: 90, ZnI2: 110, CsOA: 70, ODE: 230 }, objective: 0.3 },
];

/** The largest difference, in resolution steps, between the two conditions rounded to the resolution. */
function roundedSteps(a: Condition, b: Condition): number {
  const ra = roundCondition(DEFAULT_SPACE, a);
  const rb = roundCondition(DEFAULT_SPACE, b);
  return Math.max(...DEFAULT_SPACE.inputs.map((s, i) => Math.abs(ra[i] - rb[i]) / resolutionOf(s)));
}

async function proposeNearCorner(acquisition: string, exploit: boolean, minDistance?: number): Promise<Condition> {
  const strategy = createStrategy(`corner-${acquisition}`, { space: DEFAULT_SPACE, seed: 3 }, { surrogates: { corner: cornerPeakSurrogate }, minDistance });
  await strategy.tell(OBSERVATIONS);
  const [p] = await strategy.ask(1, [], { exploit });
  return p.condition;
}

describe("issue 4: no repeat of an observed corner maximum", () => {
  const R = minProposalDistance(DEFAULT_SPACE);

  for (const [name, exploit] of [
    ["ei", false],
    ["ucb", false],
    ["ei", true],
  ] as const) {
    it(`${name}${exploit ? " (final exploit)" : ""}: proposes the best distinct point next to the corner, not the corner`, async () => {
      const c = await proposeNearCorner(name, exploit);
      expect(sameExperiment(DEFAULT_SPACE, c, CORNER)).toBe(false);
      // Distinct after rounding to the lab's resolution by at least one step in some input.
      expect(roundedSteps(c, CORNER)).toBeGreaterThanOrEqual(1 - 1e-9);
      const d = dist(toUnit(DEFAULT_SPACE, c), cornerZ);
      expect(d).toBeGreaterThanOrEqual(R);
      // ...and still the best point outside the exclusion ball, not an arbitrary one.
      expect(d).toBeLessThan(2 * R);
    });
  }

  it("with the old 1e-4 exclusion radius the proposal is the same experiment (the defect)", async () => {
    const c = await proposeNearCorner("ei", false, 1e-4);
    expect(sameExperiment(DEFAULT_SPACE, c, CORNER)).toBe(true);
  });

  it("optimizeAcqf: a maximum inside an excluded ball at a corner gives the best point just outside it", () => {
    const corner = [1, 1, 0, 1, 0];
    const value = (X: readonly (readonly number[])[]) => Float64Array.from(X, (x) => -(dist(x, corner) ** 2));
    const res = optimizeAcqf({
      objective: { value },
      feasible: unitCube(5),
      rawSamples: 256,
      restarts: 4,
      seed: 7,
      excluded: [{ center: corner, radius: 0.02 }],
    });
    expect(dist(res.x, corner)).toBeGreaterThanOrEqual(0.02);
    expect(dist(res.x, corner)).toBeLessThan(0.03);
  });
});

describe("resolution and the minimum proposal distance", () => {
  const R = minProposalDistance(DEFAULT_SPACE);
  it("default space: 0.1 degC / 0.1 uL/min give a unit-cube distance of sqrt(5) * 2 * 0.1 / 40", () => {
    expect(minProposalDistance(DEFAULT_SPACE)).toBeCloseTo(Math.sqrt(5) * 0.005, 12);
    expect(roundToStep(105.67, 0.1)).toBe(105.7);
    expect(roundToStep(251.32999999999998, 0.01)).toBe(251.33);
  });

  it("an input without a resolution gets 1e-3 of its range", () => {
    expect(resolutionOf({ name: "T", unit: "degC", bounds: [120, 180], description: "" })).toBeCloseTo(0.06, 12);
  });

  it("points at least minProposalDistance apart are never the same experiment after rounding", () => {
    const d = DEFAULT_SPACE.inputs.length;
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: d, maxLength: d }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: d, maxLength: d }),
        fc.double({ min: 1, max: 3, noNaN: true }),
        (z, dir, scale) => {
          const norm = Math.hypot(...dir);
          fc.pre(norm > 1e-6);
          const w = z.map((v, i) => v + (scale * R * dir[i]) / norm);
          const a = paperCondition(denormalize(DEFAULT_SPACE, z));
          const b = paperCondition(denormalize(DEFAULT_SPACE, w));
          expect(sameExperiment(DEFAULT_SPACE, a, b)).toBe(false);
          expect(roundedSteps(a, b)).toBeGreaterThanOrEqual(1 - 1e-9);
        },
      ),
      { numRuns: 500, seed: 4 },
    );
  });
});
