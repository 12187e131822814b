import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { CampaignStore } from "../../src/store/campaignStore.js";
import { loadDataset } from "../../src/twin/dataset.js";
import { resolveDatasetDir } from "../../src/twin/dataPaths.js";
import { PAPER_PROBLEM, paperCondition, paperMeasurement, pfoFlow } from "../../src/twin/space.js";
import type { Measurement } from "../../src/bo/lab.js";
import { ensureChromium, renderInChromium } from "./headlessBrowser.js";
import { captureIO, tempDir } from "./fixtures.js";
import { GpSurrogate } from "../../src/bo/gp/gpSurrogate.js";
import { normalize } from "../../src/bo/problem/space.js";
import { Rng } from "../../src/core/rng.js";

let chromium: { path?: string; reason?: string } = {};
beforeAll(() => {
  chromium = ensureChromium();
  if (!chromium.path) console.warn(`browser check skipped: ${chromium.reason}`);
}, 300_000);

/** A store with 8 initial rows of Chem1, 3 optimizer experiments (each after a real GP fit, stored) and one failure. */
async function makeStore(): Promise<string> {
  const ds = loadDataset(resolveDatasetDir("chem1"));
  const file = join(tempDir("report"), "campaign.sqlite");
  const store = CampaignStore.open(file, { create: true });
  const id = store.createCampaign({ lab: "test:chem1-rows", strategy: "test", dataSource: "chem1", seed: 5, settings: {} });
  const j = store.journal(id);
  const meas = (i: number): Measurement => {
    const c = paperCondition(ds.X[i]);
    return paperMeasurement({ condition: c, pfo: pfoFlow(c), abs300: ds.abs[i], pla: ds.pla[i], plqy: ds.plqy[i], startedAt: 0, finishedAt: 60 });
  };
  const proposal = (i: number, index: number, phase: "init" | "optimizer") => {
    const c = paperCondition(ds.X[i]);
    return { index, phase, source: phase === "init" ? ("dataset" as const) : ("lab" as const), condition: c, setPoints: { PFO: pfoFlow(c) } };
  };
  j.addDone(Array.from({ length: 8 }, (_, i) => ({ proposal: proposal(i, i, "init"), measurement: meas(i) })));
  const gp = new GpSurrogate();
  const rng = new Rng(3);
  for (let k = 0; k < 3; k++) {
    const rows = [...Array.from({ length: 8 }, (_, i) => i), ...Array.from({ length: k }, (_, i) => 20 + i)];
    const info = await gp.fit({ X: rows.map((i) => normalize(PAPER_PROBLEM.space, ds.X[i])), y: rows.map((i) => ds.plqy[i]) }, rng);
    j.recordFit({ ...info, index: 8 + k, surrogate: "gp" });
    j.propose([proposal(20 + k, 8 + k, "optimizer")]);
    j.recordMeasurement(8 + k, meas(20 + k));
  }
  j.propose([proposal(30, 11, "optimizer")]);
  j.markFailed(11, "pump 2 stalled");
  store.close();
  return file;
}

describe("sdfl report", () => {
  const out = tempDir("report-out");
  const io = captureIO();
  let code = -1;
  beforeAll(async () => {
    code = await main(["report", "--store", await makeStore(), "--out", out, "--twin", "chem1", "--resolution", "8"], io);
  }, 120_000);

  it("writes one self-contained page with parity, campaign plots, SHAP, surfaces and every experiment", () => {
    expect(code).toBe(0);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).not.toMatch(/<img|<link|\ssrc=/);
    for (const id of ["parity", "shap", "surfaces", "surfaces-std", "best-so-far", "parameters"]) expect(html).toMatch(new RegExp(`data-figure="${id}" id=`));
    expect(html).toMatch(/initial design \(n = 8\)[^]*optimizer \(n = 3\)/);
    expect(html.slice(html.indexOf("<h2>Every experiment")).match(/<tr><td>\d+<\/td>/g)).toHaveLength(12);
    expect(html).toContain("pump 2 stalled");
    expect(html).toMatch(/11 measured/);
    expect(io.stderr).toMatch(/SHAP of 11 points over 8 background rows/);
    // The GP the strategy fitted last: hyper-parameters with units and its leave-one-out parity.
    expect(html).toMatch(/<h2 id="gp-fit">Gaussian-process fit<\/h2>/);
    expect(html).toMatch(/before experiment 11, on 10 measured experiments \(3 GP fits/);
    expect(html).toMatch(/<td class="text">T<\/td><td>[\d.e+-]+<\/td><td class="text">degC<\/td>/);
    expect(html).toMatch(/leave-one-out<\/dt><dd>RMSE/);
    expect(html).toMatch(/data-figure="gp-loo" id=/);
  });

  it("renders in headless chromium without errors, every available figure drawn", async (ctx) => {
    if (!chromium.path) ctx.skip(chromium.reason);
    const r = await renderInChromium(chromium.path!, join(out, "report.html"));
    expect(r.errors).toBeUndefined();
    expect(r.status).toBe("ok");
    expect(r.figures).toBe(7);
    expect(r.missingFigures).toBe(0);
  });

  it("without --twin the SHAP and surface figures say how to get them", async () => {
    const out2 = tempDir("report-out");
    expect(await main(["report", "--store", await makeStore(), "--out", out2], captureIO())).toBe(0);
    const html = readFileSync(join(out2, "report.html"), "utf8");
    expect(html).toMatch(/data-figure="parity" data-missing="true"[^]*pass --twin FILE/);
    expect(html).toMatch(/data-figure="shap" data-missing="true"[^]*pass --twin FILE/);
  });

  it("a missing store is a clear error", async () => {
    const e = captureIO();
    expect(await main(["report", "--store", join(out, "nope.sqlite"), "--out", out], e)).toBe(1);
    expect(e.stderr).toMatch(/campaign store not found/);
  });
});
