import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runCampaign } from "../../src/bo/campaign/runner.js";
import { MemoryJournal } from "../../src/bo/campaign/memoryJournal.js";
import { predictionInfoAsObjective, recommendationAsObjective } from "../../src/bo/campaign/orientation.js";
import { FunctionLab } from "../../src/bo/oracles/functionLab.js";
import { parseProblem } from "../../src/bo/problem/parseProblem.js";
import type { Observation, Strategy } from "../../src/bo/strategy.js";
import type { Recommendation } from "../../src/bo/recommend/recommendation.js";

// A minimize problem: strategies maximise the negated objective, the user must see the objective itself.
const problem = (goal: "minimize" | "maximize") =>
  parseProblem(
    {
      name: "cost",
      inputs: [
        { name: "x", unit: "mm", bounds: [0, 10] },
        { name: "y", unit: "s", bounds: [0, 5] },
      ],
      outcomes: [{ name: "cost", unit: "EUR" }],
      objective: { outcome: "cost", goal },
    },
    "test",
  );
const cost = (c: Record<string, number>) => 3 + (c.x - 4) ** 2 + (c.y - 1) ** 2;

/** A strategy whose model "predicts" the utility it was told best so far, with a fixed spread: what the runner must turn back. */
function utilityStrategy(): Strategy & { told: Observation[] } {
  const told: Observation[] = [];
  const bestUtility = () => Math.max(...told.map((o) => o.objective));
  let k = 0;
  return {
    name: "test-utility",
    told,
    async ask(n) {
      return Array.from({ length: n }, () => ({ condition: { x: (k++ % 10) + 0.5, y: 1 }, info: { mean: bestUtility(), std: 0.5 } }));
    },
    async tell(o) {
      told.push(...o);
    },
    async recommend(): Promise<Recommendation> {
      const best = told.reduce((a, o) => (o.objective > a.objective ? o : a));
      return {
        condition: best.condition,
        mean: best.objective,
        std: 1,
        lower: best.objective - 2,
        upper: best.objective + 2,
        level: 0.95,
        observations: told.length,
      };
    },
  };
}

describe("predictions in the objective's own orientation", () => {
  it("a minimize campaign journals and returns the predicted objective, not the negated utility the strategy maximises", async () => {
    const p = problem("minimize");
    const journal = new MemoryJournal();
    const strategy = utilityStrategy();
    const out = await runCampaign({
      journal,
      lab: new FunctionLab(p, (cs) => cs.map(cost), { name: "cost", noise: 0, seed: 1 }),
      strategy,
      problem: p,
      init: {
        kind: "design",
        label: "two points",
        conditions: [
          { x: 1, y: 2 },
          { x: 8, y: 4 },
        ],
      },
      budget: 3,
      finalExploit: false,
    });
    // The strategy was told utilities (negated costs) ...
    expect(strategy.told.every((o) => o.objective < 0)).toBe(true);
    // ... the user gets costs: the recommendation is the cheapest measured point's cost, its interval around it.
    const best = out.best.measurement!.objective;
    expect(best).toBe(Math.min(...out.experiments.map((e) => e.measurement!.objective)));
    expect(out.recommendation!.mean).toBeCloseTo(best, 12);
    expect(out.recommendation!.lower).toBeCloseTo(best - 2, 12);
    expect(out.recommendation!.upper).toBeCloseTo(best + 2, 12);
    // Journaled proposal info: the predicted mean as a cost (positive here), the per-step recommendation too.
    for (const e of out.experiments.filter((r) => r.phase !== "init")) {
      expect(e.info!.mean as number).toBeGreaterThan(0);
      expect((e.info!.recommendation as Recommendation).mean).toBeGreaterThan(0);
    }
  });

  it("the conversion keeps lower <= mean <= upper, is the identity for maximize and its own inverse for minimize (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e3, noNaN: true }), (mean, halfWidth) => {
        const r: Recommendation = {
          condition: { x: 1, y: 1 },
          mean,
          std: halfWidth / 2,
          lower: mean - halfWidth,
          upper: mean + halfWidth,
          level: 0.95,
          observations: 3,
        };
        const min = recommendationAsObjective(problem("minimize"), r);
        expect(min.lower).toBeLessThanOrEqual(min.mean);
        expect(min.mean).toBeLessThanOrEqual(min.upper);
        expect(min.mean).toBe(-mean);
        expect(recommendationAsObjective(problem("minimize"), min)).toEqual(r);
        expect(recommendationAsObjective(problem("maximize"), r)).toBe(r);
        expect(predictionInfoAsObjective(problem("minimize"), { mean, std: 1, acquisitionValue: 2 })).toEqual({ mean: -mean, std: 1, acquisitionValue: 2 });
      }),
    );
  });
});
