import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportPublishedCsv } from "../../src/store/exportCsv.js";
import { loadDataset } from "../../src/twin/dataset.js";
import { findDataRoot } from "../../src/twin/dataPaths.js";
import { runCampaign } from "../../src/bo/campaign/runner.js";
import { MemoryJournal } from "../../src/bo/campaign/memoryJournal.js";
import { SyntheticLab } from "../../src/bo/oracles/syntheticLab.js";
import { HARTMANN6 } from "../../src/bo/oracles/testFunctions.js";
import { DEFAULT_SPACE } from "../../src/twin/space.js";
import { testRandomStrategy } from "../bo/campaignTestStrategy.js";

describe("CSV export in the published layout", () => {
  it("writes the eight input columns and two output columns, readable by loadDataset like the published files", async () => {
    const journal = new MemoryJournal();
    const conds = [
      { T: 121.5, CuI: 94.33, ZnI2: 82.33, CsOA: 48.5, ODE: 277.5 },
      { T: 170, CuI: 110, ZnI2: 85, CsOA: 70, ODE: 270 },
    ];
    await runCampaign({
      journal,
      lab: new SyntheticLab(HARTMANN6, { noise: 0.04, seed: 1 }),
      strategy: testRandomStrategy(1),
      space: DEFAULT_SPACE,
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
    expect(inputs[1]).toBe("121.5,94.33,82.33,48.5,277.5,251.33,2,0");
    expect(readFileSync(res.outputs, "utf8").split("\n")[0]).toBe("Abs300nm,PLA");
    const ds = loadDataset(dir);
    const done = journal.experiments();
    expect(ds.X).toHaveLength(5);
    ds.plqy.forEach((p, i) => expect(p).toBeCloseTo(done[i].measurement!.plqy, 12));
  });
});
