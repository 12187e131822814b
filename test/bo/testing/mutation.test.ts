// Mutation test of sdfl/testing: every deliberately broken strategy in ./mutants.ts must make
// the property that guards against its defect fail (at the fixed CI seed of ./ciSeed.ts;
// fast-check prints seed and path on failure). The correct built-ins pass: ./builtins.test.ts.
import { afterAll, describe, expect, it } from "vitest";
import { strategyProperties } from "../../../src/bo/testing/index.js";
import { MUTANTS } from "./mutants.js";
import { CI_SEED } from "./ciSeed.js";
import { RandomStrategy, sameExperiment } from "../../../src/bo/strategies/index.js";
import type { Observation, Strategy, StrategyContext } from "../../../src/bo/strategy.js";
import { denormalize, fromArray, satisfiesConstraints, type Condition } from "../../../src/bo/problem/space.js";

const caught: string[] = [];
const missed: string[] = [];

describe("sdfl/testing fails every broken strategy", () => {
  for (const m of MUTANTS) {
    it(`${m.caughtBy} catches ${m.name}: ${m.defect}`, async () => {
      const property = strategyProperties(m.factory, { numRuns: 20, seed: CI_SEED, ...m.options }).find((p) => p.name === m.caughtBy);
      expect(property, `property ${m.caughtBy} is part of the suite`).toBeDefined();
      let error: unknown;
      try {
        await property!.check();
      } catch (e) {
        error = e;
      }
      (error ? caught : missed).push(m.name);
      expect(error, `${m.name} passed ${m.caughtBy}`).toBeInstanceOf(Error);
      // The report names the seed (and path) to replay, and what went wrong.
      expect((error as Error).message).toMatch(/seed: -?\d+/);
      expect((error as Error).message).toMatch(/PropertyViolation|not applicable/);
    }, 60_000);
  }
  afterAll(() => {
    console.log(`mutation test: caught ${caught.length}/${MUTANTS.length} mutants${missed.length ? `; missed: ${missed.join(", ")}` : ""}`);
  });
});

describe("sdfl/testing passes a correct shift-invariant strategy (positive control)", () => {
  it("shift-invariant passes random search that moves its first proposal next to the best observation", async () => {
    // Depends on the data only through the arg-max, so shifting every value changes nothing
    // and negating them moves the proposal: the property can judge it and must pass it.
    const nearBest = (ctx: StrategyContext): Strategy => {
      const inner = new RandomStrategy(ctx);
      const told: Observation[] = [];
      return {
        name: "near-best",
        async ask(n, pending = []) {
          const p = await inner.ask(n, pending);
          if (told.length === 0) return p;
          const best = told.reduce((a, b) => (b.objective > a.objective ? b : a));
          const z = ctx.space.inputs.map((s, i) => (best.condition[s.name] - s.bounds[0]) / (s.bounds[1] - s.bounds[0]) + (i === 0 ? 0.01 : 0));
          const c = fromArray(ctx.space, denormalize(ctx.space, z));
          const ok =
            invalidityFree(ctx, c) && !pending.some((q) => sameExperiment(ctx.space, q, c)) && !told.some((o) => sameExperiment(ctx.space, o.condition, c));
          return ok && !p.slice(1).some((q) => sameExperiment(ctx.space, q.condition, c)) ? [{ condition: c }, ...p.slice(1)] : p;
        },
        async tell(results) {
          told.push(...results.map((r) => ({ ...r, condition: { ...r.condition } })));
          await inner.tell(results);
        },
      };
    };
    const [property] = strategyProperties(nearBest, {
      numRuns: 10,
      shiftInvariant: true,
      skip: ["in-bounds-and-constraints", "caller-data-untouched", "time-budget", "deterministic", "no-repeats", "incumbent-never-worse", "beats-random"],
    });
    expect(property.name).toBe("shift-invariant");
    await property.check();
  }, 60_000);
});

/** True when the condition is inside the box and satisfies the constraints. */
function invalidityFree(ctx: StrategyContext, c: Condition): boolean {
  return ctx.space.inputs.every((s) => c[s.name] >= s.bounds[0] && c[s.name] <= s.bounds[1]) && satisfiesConstraints(ctx.space, c);
}
