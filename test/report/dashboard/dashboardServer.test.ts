import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { CampaignStore } from "../../../src/store/campaignStore.js";
import { startDashboard, type Dashboard } from "../../../src/report/dashboard/server.js";
import type { CampaignJournal } from "../../../src/bo/campaign/journal.js";
import { launchChromium } from "./browser.js";

// The dashboard server against a real SQLite store written by a second connection (as a
// running campaign does), and the page in real headless chromium.

let dir: string;
let browser: Browser;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sdfl-dash-"));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const condition = (i: number) => ({ T: 120 + i, CuI: 80 + i, ZnI2: 90, CsOA: 30, ODE: 250 });

/** Write experiment `i` as the campaign runner does: proposal with a prediction, then the measurement. */
function land(journal: CampaignJournal, i: number): void {
  journal.propose([
    {
      index: i,
      phase: i < 2 ? "init" : "optimizer",
      source: "lab",
      condition: condition(i),
      setPoints: { PFO: 100 },
      info: {
        mean: 0.2 + i / 100,
        std: 0.05,
        acquisitionValue: 0.01,
        // What the runner stores with a model's proposal: its posterior-mean maximiser so far.
        ...(i >= 2
          ? { recommendation: { condition: condition(9), mean: 0.3 + i / 100, std: 0.02, lower: 0.26, upper: 0.34, level: 0.95, observations: i } }
          : {}),
      },
    },
  ]);
  journal.markRunning(i);
  journal.recordMeasurement(i, {
    condition: condition(i),
    setPoints: { PFO: 100 },
    outcomes: { abs300: 0.5, pla: 1000 },
    objective: 0.1 + i / 50,
    startedAt: i,
    finishedAt: i + 1,
  });
}

function newStore(name: string, budget: number): { store: CampaignStore; journal: CampaignJournal; file: string; id: number } {
  const file = join(dir, name);
  const store = CampaignStore.open(file, { create: true });
  const id = store.createCampaign({ lab: "simulated", strategy: "enn-ei", dataSource: "lhs:2", seed: 1, settings: { budget } });
  return { store, journal: store.journal(id), file, id };
}

describe("sdfl dashboard server", () => {
  it("pushes new experiments to an open page without reload, and the page survives a server restart", async () => {
    const { store, journal, file } = newStore("restart.sqlite", 6);
    for (let i = 0; i < 3; i++) land(journal, i);
    let dash: Dashboard = await startDashboard({ store: file, port: 0, pollMs: 100 });
    const port = dash.port;
    const page = await browser.newPage();
    try {
      await page.goto(dash.url);
      await page.waitForSelector('body[data-state="live"][data-done="3"]', { timeout: 20_000 });
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
      expect(await page.locator("#experiments tr[data-index]").count()).toBe(3);

      land(journal, 3);
      await page.waitForSelector('body[data-done="4"]', { timeout: 20_000 });
      expect(await page.textContent("#progress")).toContain("4 of 8"); // 2 initial + budget 6;

      // Restart: the server goes away, an experiment lands meanwhile, the server comes back on the same port.
      await dash.close();
      await page.waitForSelector('body[data-state="reconnecting"]', { timeout: 20_000 });
      land(journal, 4);
      dash = await startDashboard({ store: file, port, pollMs: 100 });
      await page.waitForSelector('body[data-state="live"][data-done="5"]', { timeout: 20_000 });
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42); // no reload
      expect(await page.locator("#experiments tr[data-index]").count()).toBe(5);
      expect(await page.textContent("#best")).toContain((0.1 + 4 / 50).toFixed(4));
      // Each optimizer proposal's stored recommendation: predicted mean +- std and its condition.
      const rec = await page.textContent('#experiments tr[data-index="4"] td.recommendation');
      expect(rec).toContain(`${(0.34).toFixed(4)} \u00b1 ${(0.02).toFixed(4)}`);
      expect(rec).toContain("T 129.0");
      expect(await page.textContent('#experiments tr[data-index="1"] td.recommendation')).toBe("");
      // The charts are drawn by uPlot, served by sdfl itself.
      expect(await page.locator("#chart-progress canvas").count()).toBeGreaterThan(0);
    } finally {
      await page.close();
      await dash.close();
      store.close();
    }
  });

  it("shows a campaign on its own problem in that problem's terms: objective, units, the smallest value as best when minimising", async () => {
    const file = join(dir, "own.sqlite");
    const store = CampaignStore.open(file, { create: true });
    const problem = {
      name: "cost",
      inputs: [
        { name: "tau", unit: "s", bounds: [10, 100] },
        { name: "conc", unit: "M", bounds: [0.1, 1] },
      ],
      outcomes: [{ name: "cost", unit: "EUR" }],
      objective: { outcome: "cost", goal: "minimize" },
    };
    const journal = store.journal(store.createCampaign({ lab: "cost", strategy: "gp-ei", dataSource: "lhs:3", seed: 1, settings: { budget: 2, problem } }));
    [7, 2.5, 4].forEach((v, i) => {
      const condition = { tau: 20 + 10 * i, conc: 0.25 };
      journal.propose([{ index: i, phase: "init", source: "lab", condition, setPoints: {} }]);
      journal.recordMeasurement(i, { condition, setPoints: {}, outcomes: { cost: v }, objective: v, startedAt: i, finishedAt: i + 1 });
    });
    const dash = await startDashboard({ store: file, port: 0, pollMs: 100 });
    const page = await browser.newPage();
    try {
      await page.goto(dash.url);
      await page.waitForSelector('body[data-state="live"][data-done="3"]', { timeout: 20_000 });
      expect(await page.textContent("#best")).toBe("cost (EUR) 2.5000");
      expect(await page.textContent("#best-condition")).toContain("tau 30 s, conc 0.25 M");
      const head = await page.textContent("#experiments tr");
      expect(head).toContain("tau");
      expect(head).toContain("measured cost (EUR)");
      expect(await page.textContent("body")).not.toMatch(/PLQY|uL\/min/);
    } finally {
      await page.close();
      await dash.close();
      store.close();
    }
  });

  it("refuses a stop without the right token, and a watch-only server has no stop", async () => {
    const { store, file, id } = newStore("stop.sqlite", 2);
    let stops = 0;
    const dash = await startDashboard({ store: file, port: 0, stop: { campaignId: id, request: () => stops++ } });
    const watchOnly = await startDashboard({ store: file, port: 0 });
    try {
      const post = (url: string, token?: string) => fetch(`${url}api/stop`, { method: "POST", headers: token === undefined ? {} : { "x-sdfl-token": token } });
      expect((await post(dash.url)).status).toBe(403);
      expect((await post(dash.url, "0".repeat(dash.token.length))).status).toBe(403);
      expect(stops).toBe(0);
      expect((await post(watchOnly.url, watchOnly.token)).status).toBe(409);
      const ok = await post(dash.url, dash.token);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ stopping: id });
      expect(stops).toBe(1);
      // Listening on loopback, a request naming another host (DNS rebinding) is refused.
      const status = await new Promise<number>((resolve, reject) => {
        const r = request({ host: "127.0.0.1", port: dash.port, path: "/api/snapshot", headers: { host: "attacker.example:80" } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        r.on("error", reject);
        r.end();
      });
      expect(status).toBe(403);
      expect(dash.host).toBe("127.0.0.1");
    } finally {
      await dash.close();
      await watchOnly.close();
      store.close();
    }
  });
});
