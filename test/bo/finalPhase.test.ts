import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkFinalPhase, ucbBetaAt } from "../../src/bo/strategies/finalPhase.js";
import { SurrogateStrategy } from "../../src/bo/strategies/surrogateStrategy.js";
import { GpSurrogate } from "../../src/bo/gp/gpSurrogate.js";
import { DEFAULT_SPACE } from "../../src/twin/space.js";
import { Rng } from "../../src/core/rng.js";
import { DEFAULT_UCB_BETA } from "../../src/bo/acquisition/ucb.js";
import { toCondition } from "../../src/bo/strategies/unitSpace.js";

describe("UCB final phase (beta tapering to 0)", () => {
  it("is beta before the phase, non-increasing in it, within [0, beta], and 0 at the last experiment", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 20, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        (beta, phi, budget) => {
          const phase = phi > 0 ? Math.max(1, Math.round(phi * budget)) : 0;
          let prev = Infinity;
          for (let done = 0; done < budget; done++) {
            const b = ucbBetaAt(beta, phi, { done, budget });
            expect(b).toBeGreaterThanOrEqual(0);
            expect(b).toBeLessThanOrEqual(beta);
            expect(b).toBeLessThanOrEqual(prev);
            if (budget - done > phase) expect(b).toBe(beta);
            prev = b;
          }
          if (phi > 0) expect(ucbBetaAt(beta, phi, { done: budget - 1, budget })).toBe(0);
        },
      ),
    );
    expect(ucbBetaAt(2, 0.25, { done: 12, budget: 16 })).toBe(1.5);
    expect(ucbBetaAt(2, 0.25, undefined)).toBe(2);
    expect(() => checkFinalPhase("gp-x", 1.5)).toThrow(/between 0 and 1/);
  });

  it("the strategy reports the tapered beta and, at the end, proposes where the posterior mean is high", async () => {
    const rng = new Rng(3);
    const d = DEFAULT_SPACE.inputs.length;
    const obs = Array.from({ length: 20 }, () => {
      const z = Array.from({ length: d }, () => rng.uniform());
      return { condition: toCondition(DEFAULT_SPACE, z), objective: -z.reduce((a, v) => a + (v - 0.5) ** 2, 0) };
    });
    const make = (): SurrogateStrategy =>
      new SurrogateStrategy(
        { space: DEFAULT_SPACE, seed: 1 },
        { name: "t", acquisition: "ucb", finalPhase: 0.5, surrogateFactory: () => new GpSurrogate({ restarts: 1 }) },
      );
    const s = make();
    await s.tell(obs);
    const [early] = await s.ask(1, [], { progress: { done: 0, budget: 10 } });
    const [late] = await s.ask(1, [], { progress: { done: 9, budget: 10 } });
    expect(early.info?.beta).toBe(DEFAULT_UCB_BETA);
    expect(late.info?.beta).toBe(0);
    // With beta 0 the proposal maximises the mean: its mean is at least that of the exploring one.
    expect(late.info?.mean as number).toBeGreaterThanOrEqual((early.info?.mean as number) - 1e-12);
  });

  it("a UCB weight that is negative or not finite is a usage error naming the strategy", () => {
    for (const beta of [-1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(
        () => new SurrogateStrategy({ space: DEFAULT_SPACE, seed: 1 }, { name: "gp-ucb", acquisition: "ucb", beta, surrogateFactory: () => new GpSurrogate() }),
      ).toThrow(/strategy gp-ucb: UCB beta = .* must be a finite number >= 0/);
    expect(
      () =>
        new SurrogateStrategy({ space: DEFAULT_SPACE, seed: 1 }, { name: "gp-ucb", acquisition: "ucb", beta: 0, surrogateFactory: () => new GpSurrogate() }),
    ).not.toThrow();
  });
});
