import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { CampaignStore } from "../../../src/store/campaignStore.js";
import { StoreFeed } from "../../../src/report/dashboard/storeFeed.js";
import { StoreDeviceLog } from "../../../src/store/deviceLog.js";

// The dashboard's reader on real SQLite files: progress, best so far, ETA, and the
// optional sections (device states, device log, recommendations) that appear as soon as
// a store has their tables.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sdfl-feed-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cond = (i: number) => ({ T: 130 + i, CuI: 90, ZnI2: 100, CsOA: 40, ODE: 250 });

describe("StoreFeed", () => {
  it("a campaign on its own problem: that problem's objective, inputs and units, and the smallest value as best for a minimize problem", () => {
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
    const id = store.createCampaign({ lab: "cost+noise0.04", strategy: "gp-ei", dataSource: "lhs:3", seed: 1, settings: { budget: 1, problem } });
    const j = store.journal(id);
    [5, 2, 3].forEach((v, i) => {
      const condition = { tau: 10 + 10 * i, conc: 0.5 };
      j.propose([{ index: i, phase: "init", source: "lab", condition, setPoints: {} }]);
      j.recordMeasurement(i, { condition, setPoints: {}, outcomes: { cost: v }, objective: v, startedAt: 0, finishedAt: 1 });
    });
    store.close();
    const feed = new StoreFeed(file);
    try {
      const v = feed.snapshot().campaign!;
      expect(v).toMatchObject({
        objective: "cost (EUR)",
        goal: "minimize",
        inputs: ["tau", "conc"],
        units: { tau: "s", conc: "M" },
        best: { index: 1, value: 2 },
      });
      expect(v.bestSoFar.map((b) => b.value)).toEqual([5, 2, 2]);
    } finally {
      feed.close();
    }
  });

  it("summarises progress, best so far and predictions, notices each commit, and shows optional device and recommendation tables", () => {
    const file = join(dir, "feed.sqlite");
    const store = CampaignStore.open(file, { create: true });
    const id = store.createCampaign({ lab: "hil", strategy: "enn-ei", dataSource: "lhs:2", seed: 3, settings: { budget: 4 } });
    const j = store.journal(id);
    const feed = new StoreFeed(file);
    try {
      expect(feed.changed()).toBe(true);
      expect(feed.changed()).toBe(false);
      const values = [0.2, 0.35, 0.3];
      values.forEach((v, i) => {
        j.propose([
          {
            index: i,
            phase: i < 2 ? "init" : "optimizer",
            source: "lab",
            condition: cond(i),
            setPoints: { PFO: 90 },
            ...(i >= 2
              ? {
                  info: {
                    mean: 0.4,
                    std: 0.03,
                    acquisitionValue: 0.02,
                    recommendation: { condition: cond(7), mean: 0.38, std: 0.01, lower: 0.36, upper: 0.4 },
                  },
                }
              : {}),
          },
        ]);
        j.recordMeasurement(i, { condition: cond(i), setPoints: { PFO: 90 }, outcomes: { abs300: 1, pla: 2 }, objective: v, startedAt: 0, finishedAt: 1 });
      });
      expect(feed.changed()).toBe(true); // another connection committed
      let v = feed.snapshot().campaign!;
      expect(v).toMatchObject({ done: 3, total: 6, objective: "PLQY", best: { index: 1, value: 0.35 } });
      expect(v.bestSoFar.map((b) => b.value)).toEqual([0.2, 0.35, 0.35]);
      expect(v.experiments[2].predicted).toEqual({ mean: 0.4, std: 0.03, acquisition: 0.02 });
      expect(v.experiments[2].recommendation).toEqual({ condition: cond(7), mean: 0.38, std: 0.01 });
      expect(v.experiments[1].recommendation).toBeUndefined();
      expect(v.recommendation).toMatchObject({ index: 2, condition: cond(7), mean: 0.38, std: 0.01, source: "posterior-mean maximiser" });
      expect(v.devices).toBeUndefined();
      expect(v.etaSeconds).toBeGreaterThanOrEqual(0);

      // Tables a hardware campaign adds (issue 10's device log, issue 12's recommendations).
      const db = new Database(file);
      db.exec(`CREATE TABLE device_states (campaign_id INTEGER, device TEXT, state TEXT, at TEXT);
               CREATE TABLE device_log (campaign_id INTEGER, device TEXT, command TEXT, reply TEXT, at TEXT);
               CREATE TABLE recommendations (campaign_id INTEGER, idx INTEGER, condition TEXT, mean REAL, std REAL)`);
      const st = db.prepare("INSERT INTO device_states VALUES (?, ?, ?, ?)");
      st.run(id, "pump-CuI", JSON.stringify({ rate_uL_min: 90, volume_uL: 800 }), "t1");
      st.run(id, "plate", JSON.stringify({ setPoint_degC: 150, temperature_degC: 149.2 }), "t1");
      st.run(id, "pump-CuI", JSON.stringify({ rate_uL_min: 95, volume_uL: 700 }), "t2");
      db.prepare("INSERT INTO device_log VALUES (?, ?, ?, ?, ?)").run(id, "plate", "SP 150", "OK", "t1");
      db.prepare("INSERT INTO recommendations VALUES (?, ?, ?, ?, ?)").run(id, 2, JSON.stringify(cond(9)), 0.41, 0.02);
      db.close();
      v = feed.snapshot(id).campaign!;
      expect(v.devices).toEqual([
        { device: "pump-CuI", state: { rate_uL_min: 95, volume_uL: 700 }, at: "t2" },
        { device: "plate", state: { setPoint_degC: 150, temperature_degC: 149.2 }, at: "t1" },
      ]);
      expect(v.deviceLog).toEqual([{ device: "plate", command: "SP 150", reply: "OK", at: "t1" }]);
      expect(v.recommendation).toMatchObject({ condition: cond(9), mean: 0.41, std: 0.02, source: "recommendations table" });
    } finally {
      feed.close();
      store.close();
    }
  });

  it("reads device states and the device log from the store's device log (src/store/deviceLog.ts)", () => {
    const file = join(dir, "hil.sqlite");
    const store = CampaignStore.open(file, { create: true });
    const id = store.createCampaign({ lab: "hil", strategy: "enn-ei", dataSource: "lhs:2", seed: 3, settings: { budget: 2 } });
    const db = new Database(file);
    const log = new StoreDeviceLog(db, id);
    log.record({ t_s: 1, device: "pump:CuI", kind: "command", message: "set rate 90", data: { reply: "OK", ok: true } });
    log.record({ t_s: 2, device: "heater:plate", kind: "reading", message: "plate 149.2 degC", data: { temperature_degC: 149.2 } });
    log.record({ t_s: 3, device: "lab", kind: "step", message: "wait 2 tau" });
    log.record({ t_s: 4, device: "pump:CuI", kind: "syringe", message: "remaining", data: { remaining_uL: 640 } });
    const feed = new StoreFeed(file);
    try {
      const v = feed.snapshot(id).campaign!;
      expect(v.deviceLog!.map((e) => e.message)).toEqual(["remaining", "wait 2 tau", "plate 149.2 degC", "set rate 90"]);
      expect(v.devices!.map((d) => [d.device, d.message])).toEqual([
        ["pump:CuI", "remaining"],
        ["heater:plate", "plate 149.2 degC"],
      ]);
      expect(v.devices![0].data).toEqual({ remaining_uL: 640 });
    } finally {
      feed.close();
      db.close();
      store.close();
    }
  });

  it("refuses a missing store with a message naming it", () => {
    expect(() => new StoreFeed(join(dir, "missing.sqlite"))).toThrow(/missing\.sqlite: cannot be read as a campaign store/);
  });
});
