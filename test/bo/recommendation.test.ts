import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.js";
import { maximizePosteriorMean, centralZ } from "../../src/bo/recommend/recommendation.js";
import { feasibleSetOf, unitCube } from "../../src/bo/optimize/feasibleSet.js";
import { GpSurrogate } from "../../src/bo/gp/gpSurrogate.js";
import { HARTMANN6 } from "../../src/bo/oracles/testFunctions.js";
import { SyntheticLab } from "../../src/bo/oracles/syntheticLab.js";
import { createStrategy, SurrogateStrategy } from "../../src/bo/strategies/index.js";
import { toUnit } from "../../src/bo/strategies/unitSpace.js";
import { runCampaign } from "../../src/bo/campaign/runner.js";
import { MemoryJournal } from "../../src/bo/campaign/memoryJournal.js";
import type { Posterior, Surrogate } from "../../src/bo/surrogate.js";
import { DEFAULT_SPACE, PAPER_PROBLEM, denormalize, paperCondition } from "../../src/twin/space.js";

/** Best posterior mean over `n` uniform random points of the unit cube (brute force). */
function bruteForceMax(s: Surrogate, n: number, seed: number): number {
  const rng = new Rng(seed);
  let best = -Infinity;
  for (let i = 0; i < n; i += 4096) {
    const X = Array.from({ length: Math.min(4096, n - i) }, () => Array.from({ length: 5 }, () => rng.uniform()));
    for (const m of s.posterior(X).mean) best = Math.max(best, m);
  }
  return best;
}

/** A fixed GP fitted to 40 noisy Hartmann-6 readings (deterministic). */
async function fixedGp(): Promise<GpSurrogate> {
  const rng = new Rng(7);
  const X = Array.from({ length: 40 }, () => Array.from({ length: 5 }, () => rng.uniform()));
  const y = X.map((x) => -HARTMANN6.f(x) * -1 * (1 + 0.04 * rng.normal()));
  const gp = new GpSurrogate();
  await gp.fit({ X, y }, new Rng(1));
  return gp;
}

/** A surrogate without gradients whose mean has two peaks (one narrow and higher) inside the cube. */
function twoPeaks(c1: number[], c2: number[], w1: number, w2: number, h1: number, h2: number): Surrogate {
  const bump = (x: readonly number[], c: number[], w: number) => Math.exp(-x.reduce((a, v, i) => a + (v - c[i]) ** 2, 0) / (2 * w * w));
  return {
    name: "two-peaks",
    fit: async () => ({ seconds: 0, meta: {}, warnings: [] }),
    posterior(X): Posterior {
      return {
        mean: Float64Array.from(X, (x) => h1 * bump(x, c1, w1) + h2 * bump(x, c2, w2)),
        variance: Float64Array.from(X, () => 1e-4),
        sample: () => [],
      };
    },
  };
}

describe("recommendation: the posterior-mean maximiser", () => {
  it("on a fixed GP it is at least the brute-force maximum over 100,000 random points", async () => {
    const gp = await fixedGp();
    const r = maximizePosteriorMean(gp, feasibleSetOf(DEFAULT_SPACE), 3);
    expect(r.mean).toBeGreaterThanOrEqual(bruteForceMax(gp, 100_000, 11) - 1e-9);
    expect(r.std).toBeGreaterThan(0);
  });

  it("property: on two-peak surfaces without gradients (finite differences), never below brute force over 20,000 points", () => {
    const pt = fc.array(fc.double({ min: 0.1, max: 0.9, noNaN: true }), { minLength: 5, maxLength: 5 });
    fc.assert(
      fc.property(pt, pt, fc.double({ min: 0.15, max: 0.3, noNaN: true }), fc.double({ min: 0.5, max: 0.95, noNaN: true }), (c1, c2, w1, h2) => {
        const s = twoPeaks(c1, c2, w1, 0.3, 1, h2);
        const r = maximizePosteriorMean(s, unitCube(5), 5);
        expect(r.mean).toBeGreaterThanOrEqual(bruteForceMax(s, 20_000, 2) - 1e-9);
      }),
      { numRuns: 30, seed: 42, endOnFailure: true },
    );
  });

  it("never returns less than the best candidate point it was given", () => {
    const s = twoPeaks([0.5, 0.5, 0.5, 0.5, 0.5], [0.1, 0.1, 0.1, 0.1, 0.1], 0.001, 0.3, 1, 0.5);
    const r = maximizePosteriorMean(s, unitCube(5), 1, [[0.5, 0.5, 0.5, 0.5, 0.5]], { rawSamples: 64, restarts: 2 });
    expect(r.mean).toBeGreaterThanOrEqual(1);
  });

  it("centralZ(0.95) = 1.95996", () => {
    expect(centralZ(0.95)).toBeCloseTo(1.959964, 5);
    expect(centralZ(0.6826894921)).toBeCloseTo(1, 6);
  });

  it("a strategy's final exploitation proposal maximises the posterior mean away from observed points (brute force)", async () => {
    const gp = await fixedGp();
    // Observations far from the fixed model's maximum, so the exclusion balls do not bind there.
    const obs = [
      [0.02, 0.98, 0.02, 0.98, 0.02],
      [0.98, 0.02, 0.98, 0.02, 0.98],
    ].map((z) => ({ condition: paperCondition(denormalize(DEFAULT_SPACE, z)), objective: 0.1, outcomes: {} }));
    // A wrapper that ignores fits, so the strategy keeps the fixed model.
    const fixed: Surrogate = {
      name: "fixed",
      fit: async () => ({ seconds: 0, meta: {}, warnings: [] }),
      posterior: (X) => gp.posterior(X),
      posteriorGradient: (X) => gp.posteriorGradient(X),
    };
    const s2 = createStrategy("fixed-ei", { space: DEFAULT_SPACE, seed: 2 }, { surrogates: { fixed: () => fixed } });
    await s2.tell(obs);
    const [p] = await s2.ask(1, [], { exploit: true });
    const m = fixed.posterior([toUnit(DEFAULT_SPACE, p.condition)]).mean[0];
    expect(m).toBeGreaterThanOrEqual(bruteForceMax(fixed, 100_000, 13) - 1e-6);
    const rec = await s2.recommend!();
    expect(rec!.mean).toBeGreaterThanOrEqual(m - 1e-9);
    expect(rec!.lower).toBeLessThan(rec!.mean);
    expect(rec!.upper).toBeGreaterThan(rec!.mean);
  });
});

describe("recommendation surrogate (a second model only for recommend)", () => {
  it("proposals are the same as without it, and the recommendation maximises the second model's mean (property over seeds)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1e6 }), async (seed) => {
        const rng = new Rng(seed);
        const c = [rng.uniform(), rng.uniform(), rng.uniform(), rng.uniform(), rng.uniform()];
        const obs = Array.from({ length: 8 }, () => Array.from({ length: 5 }, () => rng.uniform())).map((z) => ({
          condition: paperCondition(denormalize(DEFAULT_SPACE, z)),
          objective: z.reduce((a, v) => a - (v - 0.5) ** 2, 0),
          outcomes: {},
        }));
        const make = (withRec: boolean) =>
          new SurrogateStrategy(
            { space: DEFAULT_SPACE, seed },
            {
              name: "t",
              acquisition: "ucb",
              surrogateFactory: () => new GpSurrogate({ restarts: 0, maxIterations: 20 }),
              optimizer: { rawSamples: 64, restarts: 2, maxIterations: 20 },
              ...(withRec ? { recommendationSurrogateFactory: () => twoPeaks(c, c, 0.3, 0.3, 1, 0) } : {}),
            },
          );
        const [a, b] = [make(false), make(true)];
        const steps: number[][][] = [[], []];
        for (const [k, s] of [a, b].entries()) {
          await s.tell(obs.slice(0, 6));
          steps[k].push(Object.values((await s.ask(1))[0].condition));
          await s.recommend();
          await s.tell(obs.slice(6));
          await s.recommend();
          steps[k].push(Object.values((await s.ask(1))[0].condition));
          steps[k].push(Object.values((await s.ask(1, [], { exploit: true }))[0].condition));
        }
        expect(steps[1]).toEqual(steps[0]);
        // The second model's mean peaks at c: the recommendation is there.
        const rec = await b.recommend();
        const z = toUnit(DEFAULT_SPACE, rec!.condition);
        expect(Math.max(...z.map((v, i) => Math.abs(v - c[i])))).toBeLessThan(0.02);
      }),
      { numRuns: 4 },
    );
  }, 60_000);
});

describe("campaign: recommendations at every step, replicates at the end", () => {
  it("records the recommendation in every optimizer experiment and measures the final one K times, labelled", async () => {
    const journal = new MemoryJournal();
    const lab = new SyntheticLab(HARTMANN6, { noise: 0.04, seed: 3, space: DEFAULT_SPACE });
    const strategy = createStrategy("gp-nei", { space: DEFAULT_SPACE, seed: 3 });
    const conditions = Array.from({ length: 8 }, (_, i) => paperCondition(denormalize(DEFAULT_SPACE, [0.1 + 0.1 * i, 0.5, 0.2 + 0.05 * i, 0.4, 0.6])));
    const out = await runCampaign({
      journal,
      lab,
      strategy,
      problem: PAPER_PROBLEM,
      init: { kind: "design", label: "t", conditions },
      budget: 3,
      finalExploit: true,
      replicates: 3,
    });
    const rows = journal.experiments();
    const opt = rows.filter((r) => r.phase !== "init" && r.info?.replicate === undefined);
    expect(opt).toHaveLength(3);
    for (const r of opt) expect(r.info?.recommendation).toMatchObject({ level: 0.95 });
    const reps = rows.filter((r) => r.info?.replicate !== undefined);
    expect(reps.map((r) => r.info!.replicate)).toEqual([1, 2, 3]);
    expect(reps.every((r) => r.phase === "exploit" && r.status === "done")).toBe(true);
    // The lab runs the recommendation realised at the inputs' resolution (0.1 degC, 0.1 uL/min).
    for (const r of reps)
      for (const [k, v] of Object.entries(out.recommendation!.condition)) expect(Math.abs(r.condition[k] - v)).toBeLessThanOrEqual(0.05 + 1e-9);
    const v = reps.map((r) => r.measurement!.objective);
    const mean = (v[0] + v[1] + v[2]) / 3;
    expect(out.replicates!.mean).toBeCloseTo(mean, 12);
    expect(out.replicates!.sd).toBeCloseTo(Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / 2), 12);
    expect(out.recommendation!.observations).toBe(11);
    strategy.dispose?.();
  });
});
