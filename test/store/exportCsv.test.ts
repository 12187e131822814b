import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportPublishedCsv } from "../../src/store/exportCsv.js";
import { loadDataset } from "../../src/twin/dataset.js";
import { findDataRoot } from "../../src/twin/dataPaths.js";
import { runCampaign } from "../../src/bo/campaign/runner.js";
import { MemoryJournal } from "../../src/bo/campaign/memoryJournal.js";
import type { Lab } from "../../src/bo/lab.js";
import { plqyProxy } from "../../src/twin/plqy.js";
import { PAPER_PROBLEM, paperMeasurement, pfoFlow, type Condition } from "../../src/twin/space.js";

/** A stand-in for the reactor: smooth made-up optical features, the real PLQY proxy. */
const featureLab: Lab = {
  name: "features",
  async run(c) {
    const abs300 = 0.5 + c.T / 1000;
    const pla = 1e5 + 300 * c.CuI - 50 * c.CsOA;
    return paperMeasurement({ condition: c as Condition, pfo: pfoFlow(c), abs300, pla, plqy: plqyProxy(abs300, pla), startedAt: 0, finishedAt: 1 });
  },
  async close() {},
};
import { testRandomStrategy } from "../bo/campaignTestStrategy.js";

describe("CSV export in the published layout", () => {
  it("writes the eight input columns and two output columns, readable by loadDataset like the published files", async () => {
    const journal = new MemoryJournal();
    const conds = [
      { T: 121.5, CuI: 94.3, ZnI2: 82.3, CsOA: 48.5, ODE: 277.5 },
      { T: 170, CuI: 110, ZnI2: 85, CsOA: 70, ODE: 270 },
    ];
    await runCampaign({
      journal,
      lab: featureLab,
      strategy: testRandomStrategy(1),
      problem: PAPER_PROBLEM,
      init: { kind: "design", label: "t", conditions: conds },
      budget: 3,
      finalExploit: true,
    });
    const dir = mkdtempSync(join(tmpdir(), "sdfl-csv-"));
    const res = exportPublishedCsv(journal.experiments(), dir);
    expect(res.rows).toBe(5);
    const inputs = readFileSync(res.inputs, "utf8").split("\n");
    const published = readFileSync(join(findDataRoot(), "lhs", "chem3", "inputs.csv"), "utf8").split(/\r?\n/)[0];
    expect(inputs[0]).toBe(published);
    expect(inputs[0]).toBe("T,CuI,ZnI2,CsOA,ODE,PFO,# res. t,washing");
    expect(inputs[1]).toBe("121.5,94.3,82.3,48.5,277.5,251.3,2,0");
    expect(readFileSync(res.outputs, "utf8").split("\n")[0]).toBe("Abs300nm,PLA");
    const ds = loadDataset(dir);
    const done = journal.experiments();
    expect(ds.X).toHaveLength(5);
    ds.plqy.forEach((p, i) => expect(p).toBeCloseTo(done[i].measurement!.objective, 12));
  });
});
