import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runCampaign } from "../../src/bo/campaign/runner.js";
import { MemoryJournal } from "../../src/bo/campaign/memoryJournal.js";
import { SyntheticLab } from "../../src/bo/oracles/syntheticLab.js";
import { HARTMANN6 } from "../../src/bo/oracles/testFunctions.js";
import { scoreRun } from "../../src/bo/bench/runSeed.js";
import { initialDesign } from "../../src/bo/design/initialDesign.js";
import { Rng } from "../../src/core/rng.js";
import { DEFAULT_SPACE, PAPER_PROBLEM } from "../../src/twin/space.js";
import type { Lab } from "../../src/bo/lab.js";
import { testRandomStrategy } from "./campaignTestStrategy.js";

/** A lab that "loses power" at call number `crashAt`: that call never returns, like a killed process. */
function crashingLab(inner: Lab, crashAt: number): Lab & { hung: Promise<void> } {
  let calls = 0;
  let signalHung!: () => void;
  const hung = new Promise<void>((r) => (signalHung = r));
  return {
    name: inner.name,
    hung,
    run: (c, s) => {
      if (calls++ === crashAt) {
        signalHung();
        return new Promise(() => {});
      }
      return inner.run(c, s);
    },
    close: () => inner.close(),
  };
}

describe("campaign crash and resume (property)", () => {
  it("for any design size, budget and crash point: resume ends with every experiment done exactly once, nothing finished changed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        fc.integer({ min: 0, max: 1000 }),
        async (nInit, budget, crashSeed, seed) => {
          const total = nInit + budget;
          const crashAt = crashSeed % total;
          const init = { kind: "design" as const, label: "lhs", conditions: initialDesign({ kind: "lhs", count: nInit }, DEFAULT_SPACE, new Rng(seed)) };
          const journal = new MemoryJournal();
          const lab = new SyntheticLab(HARTMANN6, { noise: 0.04, seed, space: DEFAULT_SPACE });
          const crashing = crashingLab(lab, crashAt);
          void runCampaign({ journal, lab: crashing, strategy: testRandomStrategy(seed), problem: PAPER_PROBLEM, init, budget, finalExploit: true });
          await crashing.hung;
          const before = journal.experiments();
          expect(before.filter((e) => e.status === "done")).toHaveLength(crashAt);
          expect(before.filter((e) => e.status === "running")).toHaveLength(1);

          const strategy = testRandomStrategy(seed + 1);
          await runCampaign({ journal, lab, strategy, problem: PAPER_PROBLEM, init, budget, finalExploit: true });
          const after = journal.experiments();
          expect(after.map((e) => e.index)).toEqual(Array.from({ length: total }, (_, i) => i));
          expect(after.every((e) => e.status === "done")).toBe(true);
          expect(after.filter((e) => e.phase === "init")).toHaveLength(nInit);
          expect(after[total - 1].phase).toBe("exploit");
          for (const b of before) {
            if (b.status === "done") expect(after[b.index].measurement).toEqual(b.measurement);
            else expect(after[b.index].condition).toEqual(b.condition);
          }
          expect(strategy.told).toHaveLength(total);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("without noise the best-true curve never decreases (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 8 }), async (seed, budget) => {
        const journal = new MemoryJournal();
        const lab = new SyntheticLab(HARTMANN6, { noise: 0, seed, space: DEFAULT_SPACE });
        const init = { kind: "design" as const, label: "sobol", conditions: initialDesign({ kind: "sobol", count: 3 }, DEFAULT_SPACE, new Rng(seed)) };
        await runCampaign({ journal, lab, strategy: testRandomStrategy(seed), problem: PAPER_PROBLEM, init, budget, finalExploit: false });
        const { bestTrue } = scoreRun(journal.experiments(), lab, PAPER_PROBLEM);
        expect(bestTrue).toHaveLength(budget);
        for (let k = 1; k < bestTrue.length; k++) expect(bestTrue[k]).toBeGreaterThanOrEqual(bestTrue[k - 1]);
      }),
      { numRuns: 40 },
    );
  });
});
