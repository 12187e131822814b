import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { inFinalPhase } from "../../src/bo/strategies/finalPhase.js";
import { createStrategy } from "../../src/bo/strategies/index.js";
import { SurrogateStrategy } from "../../src/bo/strategies/surrogateStrategy.js";
import { GpSurrogate } from "../../src/bo/gp/gpSurrogate.js";
import { DEFAULT_SPACE } from "../../src/twin/space.js";
import { Rng } from "../../src/core/rng.js";
import { toArray } from "../../src/bo/problem/space.js";
import { toCondition, toUnit } from "../../src/bo/strategies/unitSpace.js";
import type { Observation } from "../../src/bo/strategy.js";
import type { Surrogate } from "../../src/bo/surrogate.js";

/** 20 noisy observations of a bowl peaking at (0.7, ..., 0.7) in the unit cube of the default space. */
function bowl(seed: number): Observation[] {
  const rng = new Rng(seed);
  const d = DEFAULT_SPACE.inputs.length;
  return Array.from({ length: 20 }, () => {
    const z = Array.from({ length: d }, () => rng.uniform());
    return { condition: toCondition(DEFAULT_SPACE, z), objective: 1 - z.reduce((a, v) => a + (v - 0.7) ** 2, 0) + 0.02 * rng.normal() };
  });
}

describe("final phase of the budget", () => {
  it("covers exactly the last max(1, round(f x budget)) experiments, none without progress or with f = 0", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 60 }), (f, budget) => {
        const phase = f > 0 ? Math.max(1, Math.round(f * budget)) : 0;
        let count = 0;
        for (let done = 0; done < budget; done++) if (inFinalPhase(f, { done, budget })) count++;
        expect(count).toBe(Math.min(phase, budget));
        expect(inFinalPhase(f, undefined)).toBe(false);
      }),
    );
  });
});

describe("knowledge-gradient strategies", () => {
  it("gp-kg proposes distinct feasible points, reports a knowledge gradient >= 0, and is deterministic per seed", async () => {
    const run = async (seed: number) => {
      const s = createStrategy("gp-kg", { space: DEFAULT_SPACE, seed }, { gp: { restarts: 1 } });
      const obs = bowl(4);
      await s.tell(obs);
      const props = await s.ask(2);
      for (const p of props) {
        expect(p.info?.acquisition).toBe("kg");
        expect(p.info?.acquisitionValue as number).toBeGreaterThanOrEqual(0);
        toArray(DEFAULT_SPACE, p.condition).forEach((v, i) => {
          expect(v).toBeGreaterThanOrEqual(DEFAULT_SPACE.inputs[i].bounds[0]);
          expect(v).toBeLessThanOrEqual(DEFAULT_SPACE.inputs[i].bounds[1]);
        });
        for (const o of obs)
          expect(Math.hypot(...toUnit(DEFAULT_SPACE, p.condition).map((v, i) => v - toUnit(DEFAULT_SPACE, o.condition)[i]))).toBeGreaterThan(0.01);
      }
      return props.map((p) => p.condition);
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(a[0]).not.toEqual(a[1]);
  }, 60_000);

  it("gp-ucb-kg uses UCB before its final phase and the knowledge gradient in it; exploit asks stay exploitation", async () => {
    const s = createStrategy("gp-ucb-kg", { space: DEFAULT_SPACE, seed: 2 }, { gp: { restarts: 1 } });
    await s.tell(bowl(5));
    const [early] = await s.ask(1, [], { progress: { done: 0, budget: 16 } });
    const [late] = await s.ask(1, [], { progress: { done: 13, budget: 16 } });
    const [last] = await s.ask(1, [], { exploit: true, progress: { done: 15, budget: 16 } });
    expect(early.info?.acquisition).toBe("ucb");
    expect(late.info?.acquisition).toBe("kg");
    expect(last.info?.acquisition).toBe("mean");
  }, 60_000);

  it("lateAcquisition: the strategy's acquisition before the final phase, the late one in it, exploitation last; a bad fraction is refused", async () => {
    const s = createStrategy("gp-ucb", { space: DEFAULT_SPACE, seed: 2 }, { gp: { restarts: 1 }, lateAcquisition: { acquisition: "ei", fraction: 0.25 } });
    await s.tell(bowl(5));
    const [early] = await s.ask(1, [], { progress: { done: 11, budget: 16 } });
    const [late] = await s.ask(1, [], { progress: { done: 12, budget: 16 } });
    const [last] = await s.ask(1, [], { exploit: true, progress: { done: 15, budget: 16 } });
    expect(early.info?.acquisition).toBe("ucb");
    expect(late.info?.acquisition).toBe("ei");
    expect(last.info?.acquisition).toBe("mean");
    // The knowledge gradient's phase takes precedence where both apply.
    const kg = createStrategy("gp-ucb-kg", { space: DEFAULT_SPACE, seed: 2 }, { gp: { restarts: 1 }, lateAcquisition: { acquisition: "ei", fraction: 0.5 } });
    await kg.tell(bowl(5));
    const [mid] = await kg.ask(1, [], { progress: { done: 9, budget: 16 } });
    const [end] = await kg.ask(1, [], { progress: { done: 13, budget: 16 } });
    expect(mid.info?.acquisition).toBe("ei");
    expect(end.info?.acquisition).toBe("kg");
    expect(() => createStrategy("gp-ucb", { space: DEFAULT_SPACE, seed: 2 }, { lateAcquisition: { acquisition: "ei", fraction: 1.5 } })).toThrow(
      /between 0 and 1/,
    );
  }, 60_000);

  it("falls back to UCB with a surrogate without a cross-covariance", async () => {
    const plain = (): Surrogate => {
      const gp = new GpSurrogate({ restarts: 1 });
      return { name: "plain", fit: (d, r) => gp.fit(d, r), posterior: (X) => gp.posterior(X) };
    };
    const s = new SurrogateStrategy({ space: DEFAULT_SPACE, seed: 1 }, { name: "t", acquisition: "kg", surrogateFactory: plain });
    await s.tell(bowl(6));
    const [p] = await s.ask(1);
    expect(p.info?.acquisition).toBe("ucb");
  }, 60_000);
});
