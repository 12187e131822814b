import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runProcess } from "../helpers/runProcess.js";
import { CampaignStore } from "../../src/store/campaignStore.js";
import { DEFAULT_STRATEGY } from "../../src/cli/builtinStrategies.js";

// The compiled CLI (bin/sdfl.js -> dist/), as a user runs it; `npm test` compiles first.
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin", "sdfl.js");
const sdfl = (args: string[]) => runProcess(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env }, timeoutMs: 120_000 });

describe("sdfl campaign: recommendation, replicates, declared noise", () => {
  it("ends with the recommendation, measured --replicates times (labelled in the store), with the declared noise fixed in the GP", async () => {
    const store = join(mkdtempSync(join(tmpdir(), "sdfl-rec-")), "c.sqlite");
    const r = await sdfl([
      "campaign",
      "--lab",
      "hartmann6-reactor5d",
      "--init",
      "lhs:12",
      "--budget",
      "3",
      "--replicates",
      "2",
      "--noise-sd",
      "4%",
      "--store",
      store,
      "--json",
      "--quiet",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.recommendation).toMatchObject({ level: 0.95, observations: 15 });
    expect(j.recommendation.lower).toBeLessThanOrEqual(j.recommendation.mean);
    expect(j.replicates.values).toHaveLength(2);
    const s = CampaignStore.open(store);
    try {
      const rows = s.experiments(1);
      expect(rows).toHaveLength(17);
      const reps = rows.filter((x) => x.info?.replicate !== undefined);
      expect(reps.map((x) => [x.phase, x.info!.replicate, x.info!.replicates])).toEqual([
        ["exploit", 1, 2],
        ["exploit", 2, 2],
      ]);
      // Run as realised at the inputs' resolution.
      for (const x of reps)
        for (const [k, v] of Object.entries(j.recommendation.condition as Record<string, number>))
          expect(Math.abs(x.condition[k] - v)).toBeLessThanOrEqual(0.05 + 1e-9);
      for (const x of rows.filter((x) => x.phase !== "init" && x.info?.replicate === undefined)) expect(x.info?.recommendation).toBeDefined();
      expect(s.campaign(1).strategy).toBe(DEFAULT_STRATEGY);
      const fits = s.fits(1);
      expect(fits.length).toBeGreaterThan(0);
      for (const f of fits) expect(f.meta).toMatchObject({ noise: "fixed", priorMean: "constant" });
    } finally {
      s.close();
    }
  });

  it("refuses a malformed --noise-sd with a usage error", async () => {
    const r = await sdfl([
      "campaign",
      "--lab",
      "branin-reactor5d",
      "--noise-sd",
      "lots",
      "--store",
      join(mkdtempSync(join(tmpdir(), "sdfl-rec-")), "c.sqlite"),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--noise-sd lots/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
