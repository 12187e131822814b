import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";
import { CampaignStore } from "../../../src/store/campaignStore.js";
import { runProcess } from "../../helpers/runProcess.js";
import { launchChromium } from "./browser.js";

// `sdfl campaign --dashboard` as a user runs it (compiled CLI), watched in headless
// chromium: the page follows the running campaign and its Stop button stops it safely.

const BIN = resolve("bin/sdfl.js");
const SLOW = resolve("test/fixtures/slowRandomStrategy.mjs");
let dir: string;
let browser: Browser;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sdfl-dash-cli-"));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sdfl campaign --dashboard", () => {
  it("shows experiments as they land, and the Stop button (with the token) stops the campaign so that --resume finishes it", async () => {
    const store = join(dir, "c.sqlite");
    const args = ["campaign", "--lab", "branin-reactor5d", "--init", "lhs:3", "--budget", "40", "--store", store, "--out", join(dir, "out")];
    const child = spawn(process.execPath, [BIN, ...args, "--strategy-module", SLOW, "--dashboard", "--port", "0"], {
      env: { ...process.env, SDFL_TEST_ASK_MS: "250" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    const page = await browser.newPage();
    try {
      const deadline = Date.now() + 30_000;
      while (!/stop token[^:]*: [0-9a-f]+/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const url = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(stderr)?.[1];
      const token = /stop token[^:]*: ([0-9a-f]+)/.exec(stderr)?.[1];
      expect(url, stderr).toBeDefined();

      await page.goto(url!);
      await page.waitForSelector('body[data-state="live"][data-status="running"]', { timeout: 20_000 });
      const first = Number(await page.getAttribute("body", "data-done"));
      // The page updates by itself as the campaign measures (no reload).
      await page.waitForFunction((n) => Number(document.body.dataset.done) >= n + 2, first, { timeout: 20_000 });
      expect(await page.textContent("#best")).toMatch(/branin value -?\d/);

      // A wrong token is refused and the campaign keeps running.
      await page.fill("#stop-token", "not-the-token");
      await page.click("#stop-button");
      await page.waitForSelector('body[data-stop="refused"]');
      const afterRefusal = Number(await page.getAttribute("body", "data-done"));
      await page.waitForFunction((n) => Number(document.body.dataset.done) > n, afterRefusal, { timeout: 20_000 });

      await page.fill("#stop-token", token!);
      await page.click("#stop-button");
      await page.waitForSelector('body[data-stop="requested"]');
      expect(await exited).toBe(130); // the same exit as Ctrl-C
      expect(stderr).toContain("stop requested from the dashboard");
    } finally {
      await page.close();
      if (child.exitCode === null) child.kill("SIGKILL");
    }

    // Safe: the store holds every finished measurement, the campaign is resumable, and
    // --resume finishes it with each experiment index exactly once.
    const s = CampaignStore.open(store);
    const before = s.experiments(1).filter((e) => e.status === "done").length;
    expect(s.campaign(1).status).toBe("running");
    s.close();
    expect(before).toBeGreaterThan(3);
    expect(before).toBeLessThan(43);
    const r = await runProcess(process.execPath, [BIN, "campaign", "--resume", "--store", store, "--quiet", "--json"], {
      env: { ...process.env, SDFL_TEST_ASK_MS: "0" },
      timeoutMs: 90_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const after = CampaignStore.open(store);
    const all = after.experiments(1);
    after.close();
    expect(all.filter((e) => e.status === "done").map((e) => e.index)).toEqual(Array.from({ length: 43 }, (_, i) => i));
  }, 120_000);

  it("sdfl serve follows an existing store, refuses a missing one, and ends on Ctrl-C", async () => {
    const missing = await runProcess(process.execPath, [BIN, "serve", "--store", join(dir, "nope.sqlite")], { timeoutMs: 30_000 });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.sqlite: cannot be read as a campaign store.*start the campaign first/s);
    const store = join(dir, "serve.sqlite");
    const s = CampaignStore.open(store, { create: true });
    s.createCampaign({ lab: "branin", strategy: "gp-ei", dataSource: "lhs:3", seed: 1, settings: { budget: 5 } });
    s.close();
    const child = spawn(process.execPath, [BIN, "serve", "--store", store, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    try {
      const deadline = Date.now() + 20_000;
      while (!/http:\/\/127\.0\.0\.1:\d+\//.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)![0];
      const snap = (await (await fetch(`${url}api/snapshot`)).json()) as { campaigns: { id: number; total: number }[]; canStop: boolean };
      expect(snap.campaigns).toMatchObject([{ id: 1, total: 5 }]);
      expect(snap.canStop).toBe(false);
      for (const asset of ["uPlot.iife.min.js", "uPlot.min.css", "dashboard.js", "dashboard.css"])
        expect((await fetch(`${url}assets/${asset}`)).status).toBe(200);
      child.kill("SIGINT");
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
