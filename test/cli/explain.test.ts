import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { ensureChromium, renderInChromium } from "../report/headlessBrowser.js";
import { captureIO, smallDataset, tempDir } from "../report/fixtures.js";

let chromium: { path?: string; reason?: string } = {};
beforeAll(() => {
  chromium = ensureChromium();
  if (!chromium.path) console.warn(`browser check skipped: ${chromium.reason}`);
}, 300_000);

describe("sdfl twin explain", () => {
  const out = tempDir("explain");
  let code = -1;
  const io = captureIO();
  beforeAll(async () => {
    const data = smallDataset("chem1", 0, 8);
    code = await main(["twin", "explain", "--twin", "chem1", "--data", data, "--out", out, "--resolution", "8", "--json"], io);
  }, 120_000);

  it("writes shap.json with ranking, meanAbs, direction and per-sample values for every output", () => {
    expect(code).toBe(0);
    const j = JSON.parse(readFileSync(join(out, "shap.json"), "utf8"));
    expect([...j.ranking].sort()).toEqual(["CsOA", "CuI", "ODE", "T", "ZnI2"]);
    const m = j.ranking.map((n: string) => j.meanAbs[n]);
    expect(m).toEqual([...m].sort((a: number, b: number) => b - a));
    for (const n of j.ranking) expect([1, -1, 0]).toContain(j.direction[n]);
    expect(j.values).toHaveLength(8);
    expect(j.values[0]).toHaveLength(5);
    for (const o of ["PLQY", "Abs300nm", "PLA"]) expect(j.outputs[o].values).toHaveLength(8);
    j.values.forEach((row: number[], i: number) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(j.fx[i] - j.base, 10));
    const summary = JSON.parse(io.stdout);
    expect(summary.ranking).toEqual(j.ranking);
    expect(io.stderr).toMatch(/explain: SHAP of 8 points over 8 background rows/);
  });

  it("writes the SVGs: beeswarm rows in ranking order, surfaces with contours, colour bar and units", () => {
    for (const f of ["shap-plqy.svg", "shap-abs300nm.svg", "shap-pla.svg", "surfaces-plqy.svg", "surfaces-plqy-std.svg", "index.html"])
      expect(existsSync(join(out, f))).toBe(true);
    const j = JSON.parse(readFileSync(join(out, "shap.json"), "utf8"));
    const bee = readFileSync(join(out, "shap-plqy.svg"), "utf8");
    const pos = j.ranking.map((n: string) => bee.indexOf(`>${n} (`));
    expect(pos.every((p: number) => p > 0)).toBe(true);
    expect(pos).toEqual([...pos].sort((a: number, b: number) => a - b));
    expect(bee.match(/<circle/g)).toHaveLength(8 * 5);
    const surf = readFileSync(join(out, "surfaces-plqy.svg"), "utf8");
    expect(surf).toContain("predicted PLQY proxy (ensemble mean)");
    expect(surf).toMatch(/uL\/min\)|degC\)/);
    expect((surf.match(/clip-path="url\(#clip-mean/g) ?? []).length).toBe(9);
    expect(readFileSync(join(out, "surfaces-plqy-std.svg"), "utf8")).toContain("PLQY proxy ensemble std");
  });

  it("index.html renders every figure without errors in headless chromium", async (ctx) => {
    if (!chromium.path) ctx.skip(chromium.reason);
    const r = await renderInChromium(chromium.path!, join(out, "index.html"));
    expect(r.errors).toBeUndefined();
    expect(r.status).toBe("ok");
    expect(r.figures).toBe(5);
  });

  it("a missing --out is a usage error (exit 2) and a bad twin file a format error, no stack trace", async () => {
    const io2 = captureIO();
    expect(await main(["twin", "explain", "--twin", "chem1"], io2)).toBe(2);
    expect(io2.stderr).toMatch(/--out is required/);
    const io3 = captureIO();
    expect(await main(["twin", "explain", "--twin", join(out, "shap.svg"), "--out", out], io3)).toBe(1);
    expect(io3.stderr).toMatch(/file not found/);
    expect(io3.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it("explains a project twin written by `sdfl twin train` the same way", async () => {
    const dir = tempDir("project-twin");
    const twinFile = join(dir, "twin.json");
    const data = smallDataset("chem3", 0, 20);
    expect(
      await main(["twin", "train", "--data", data, "--out", twinFile, "--members", "2", "--max-epochs", "30", "--workers", "1", "--quiet"], captureIO()),
    ).toBe(0);
    const out2 = join(dir, "explain");
    const io2 = captureIO();
    expect(await main(["twin", "explain", "--twin", twinFile, "--data", data, "--out", out2, "--background", "5", "--resolution", "6", "--json"], io2)).toBe(0);
    const j = JSON.parse(readFileSync(join(out2, "shap.json"), "utf8"));
    expect(j.values).toHaveLength(20);
    expect(j.background).toHaveLength(5);
    expect(j.twin).toMatch(/sdfl twin train/);
    j.values.forEach((row: number[], i: number) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(j.fx[i] - j.base, 10));
  }, 60_000);
});
