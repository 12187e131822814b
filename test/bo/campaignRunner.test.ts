import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCampaign } from "../../src/bo/campaign/runner.js";
import { MemoryJournal } from "../../src/bo/campaign/memoryJournal.js";
import { SyntheticLab } from "../../src/bo/oracles/syntheticLab.js";
import { BRANIN } from "../../src/bo/oracles/testFunctions.js";
import { CampaignStore } from "../../src/store/campaignStore.js";
import { DEFAULT_SPACE, pfoFlow, type Condition, PAPER_PROBLEM } from "../../src/twin/space.js";
import type { CampaignJournal } from "../../src/bo/campaign/journal.js";
import type { Lab } from "../../src/bo/lab.js";
import { testRandomStrategy } from "./campaignTestStrategy.js";

const initConds: Condition[] = [
  { T: 130, CuI: 90, ZnI2: 100, CsOA: 30, ODE: 230 },
  { T: 170, CuI: 110, ZnI2: 85, CsOA: 70, ODE: 270 },
  { T: 150, CuI: 100, ZnI2: 110, CsOA: 50, ODE: 250 },
];
const design = { kind: "design" as const, label: "test design", conditions: initConds };

/** A lab that checks, at every run, that the journal already holds the condition as `running`. */
function auditingLab(inner: Lab, journal: () => CampaignJournal): Lab & { runs: Condition[] } {
  const runs: Condition[] = [];
  return {
    name: inner.name,
    runs,
    async run(c, s) {
      const rows = journal()
        .experiments()
        .filter((r) => r.status === "running");
      expect(rows).toHaveLength(1);
      expect(rows[0].condition).toEqual(c);
      runs.push(c);
      return inner.run(c, s);
    },
    close: () => inner.close(),
  };
}

describe("runCampaign", () => {
  it("runs the design then `budget` optimizer experiments, journaling each before it runs; the last one exploits", async () => {
    const store = CampaignStore.open(join(mkdtempSync(join(tmpdir(), "sdfl-run-")), "c.sqlite"), { create: true });
    const journal = store.journal(store.createCampaign({ lab: "branin", strategy: "test-random", dataSource: "design", seed: 1, settings: {} }));
    const lab = auditingLab(new SyntheticLab(BRANIN, { noise: 0.04, seed: 1, space: DEFAULT_SPACE }), () => journal);
    const strategy = testRandomStrategy(1);
    const progress: string[] = [];
    const out = await runCampaign({
      journal,
      lab,
      strategy,
      problem: PAPER_PROBLEM,
      init: design,
      budget: 5,
      finalExploit: true,
      onProgress: (p) => progress.push(p.kind),
    });
    const rows = store.experiments(1);
    expect(rows.map((r) => r.phase)).toEqual(["init", "init", "init", "optimizer", "optimizer", "optimizer", "optimizer", "exploit"]);
    expect(rows.every((r) => r.status === "done")).toBe(true);
    expect(lab.runs).toHaveLength(8);
    expect(rows.slice(0, 3).map((r) => r.condition)).toEqual(initConds);
    expect(rows[7].info).toMatchObject({ exploit: true });
    expect(rows[6].info).toMatchObject({ exploit: false });
    expect(strategy.told).toHaveLength(8);
    expect(out.best.measurement!.objective).toBe(Math.max(...rows.map((r) => r.measurement!.objective)));
    expect(store.fits(1)).toHaveLength(5);
    const steps = new Set(store.timings(1).map((t) => t.step));
    expect([...steps].sort()).toEqual(["ask", "fit", "run", "tell"]);
    expect(store.campaign(1).status).toBe("finished");
    expect(progress.filter((k) => k === "experiment-done")).toHaveLength(8);
    store.close();
  });

  it("with --no-final-exploit every optimizer experiment is a normal one", async () => {
    const journal = new MemoryJournal();
    await runCampaign({
      journal,
      lab: new SyntheticLab(BRANIN, { noise: 0, seed: 1, space: DEFAULT_SPACE }),
      strategy: testRandomStrategy(2),
      problem: PAPER_PROBLEM,
      init: design,
      budget: 3,
      finalExploit: false,
    });
    expect(journal.experiments().map((r) => r.phase)).toEqual(["init", "init", "init", "optimizer", "optimizer", "optimizer"]);
  });

  it("copies a data set's rows as done initial experiments without running them", async () => {
    const journal = new MemoryJournal();
    const ref = new SyntheticLab(BRANIN, { noise: 0, seed: 9, space: DEFAULT_SPACE });
    const rows = await Promise.all(initConds.map((c) => ref.run(c)));
    const lab = auditingLab(new SyntheticLab(BRANIN, { noise: 0, seed: 1, space: DEFAULT_SPACE }), () => journal);
    await runCampaign({
      journal,
      lab,
      strategy: testRandomStrategy(3),
      problem: PAPER_PROBLEM,
      init: { kind: "dataset", label: "published chem3", rows },
      budget: 2,
      finalExploit: true,
    });
    const all = journal.experiments();
    expect(all.slice(0, 3).every((r) => r.source === "dataset" && r.status === "done")).toBe(true);
    expect(lab.runs).toHaveLength(2);
  });

  it("resumes: re-runs an unfinished proposal with the same condition, repeats nothing, and tells the strategy everything", async () => {
    const journal = new MemoryJournal();
    const lab = new SyntheticLab(BRANIN, { noise: 0.04, seed: 1, space: DEFAULT_SPACE });
    // State after a crash: the design is done, optimizer experiment 3 is done, 4 was running.
    journal.propose(initConds.map((c, i) => ({ index: i, phase: "init" as const, source: "lab" as const, condition: c, setPoints: { PFO: pfoFlow(c) } })));
    for (let i = 0; i < 3; i++) journal.recordMeasurement(i, await lab.run(initConds[i]));
    const c3: Condition = { T: 140, CuI: 95, ZnI2: 95, CsOA: 40, ODE: 240 };
    const c4: Condition = { T: 160, CuI: 105, ZnI2: 105, CsOA: 60, ODE: 260 };
    journal.propose([{ index: 3, phase: "optimizer", source: "lab", condition: c3, setPoints: { PFO: pfoFlow(c3) } }]);
    journal.recordMeasurement(3, await lab.run(c3));
    journal.propose([{ index: 4, phase: "optimizer", source: "lab", condition: c4, setPoints: { PFO: pfoFlow(c4) } }]);
    journal.markRunning(4);

    const audited = auditingLab(lab, () => journal);
    const strategy = testRandomStrategy(4);
    await runCampaign({ journal, lab: audited, strategy, problem: PAPER_PROBLEM, init: design, budget: 4, finalExploit: true });
    expect(audited.runs[0]).toEqual(c4);
    expect(audited.runs).toHaveLength(3); // experiment 4 again, then 5 and 6
    const rows = journal.experiments();
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rows.every((r) => r.status === "done")).toBe(true);
    expect(rows[6].phase).toBe("exploit");
    expect(strategy.told).toHaveLength(7);
  });

  it("marks a failed experiment and the campaign as failed, then rethrows", async () => {
    const journal = new MemoryJournal();
    const broken: Lab = {
      name: "broken",
      run: async () => {
        throw new Error("pump 2 stalled");
      },
      close: async () => {},
    };
    await expect(
      runCampaign({ journal, lab: broken, strategy: testRandomStrategy(5), problem: PAPER_PROBLEM, init: design, budget: 2, finalExploit: true }),
    ).rejects.toThrow(/stalled/);
    expect(journal.experiments()[0]).toMatchObject({ status: "failed", error: "pump 2 stalled" });
    expect(journal.status).toBe("failed");
  });
});

describe("runCampaign interruption", () => {
  it("an abort during an experiment leaves it `running` (not failed), so a resume re-runs it", async () => {
    const journal = new MemoryJournal();
    const ac = new AbortController();
    const inner = new SyntheticLab(BRANIN, { noise: 0, seed: 1, space: DEFAULT_SPACE });
    let calls = 0;
    const lab: Lab = {
      name: "interruptible",
      async run(c, s) {
        if (++calls === 5) {
          ac.abort();
          s?.throwIfAborted();
        }
        return inner.run(c, s);
      },
      close: async () => {},
    };
    await expect(
      runCampaign({ journal, lab, strategy: testRandomStrategy(6), problem: PAPER_PROBLEM, init: design, budget: 3, finalExploit: true, signal: ac.signal }),
    ).rejects.toThrow();
    expect(journal.experiments().map((r) => r.status)).toEqual(["done", "done", "done", "done", "running"]);
    expect(journal.status).toBe("running");
    await runCampaign({ journal, lab: inner, strategy: testRandomStrategy(6), problem: PAPER_PROBLEM, init: design, budget: 3, finalExploit: true });
    expect(journal.experiments().map((r) => r.status)).toEqual(Array(6).fill("done"));
  });
});

describe("runCampaign diagnostics", () => {
  it("flags a proposal that repeats an experiment already run, without changing it", async () => {
    const journal = new MemoryJournal();
    const fixed = initConds[1];
    const strategy = {
      name: "stubborn",
      async ask() {
        return [{ condition: { ...fixed } }];
      },
      async tell() {},
    };
    await runCampaign({
      journal,
      lab: new SyntheticLab(BRANIN, { noise: 0, seed: 1, space: DEFAULT_SPACE }),
      strategy,
      problem: PAPER_PROBLEM,
      init: design,
      budget: 2,
      finalExploit: false,
    });
    const rows = journal.experiments();
    expect(rows[3].condition).toEqual(fixed);
    expect(rows[3].info).toMatchObject({ repeatsExperiment: 1 });
    expect(rows[4].info).toMatchObject({ repeatsExperiment: 1 });
  });
});
