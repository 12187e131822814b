import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CampaignStore } from "../../src/store/campaignStore.js";
import { SCHEMA_V1, STORE_FORMAT } from "../../src/store/schema.js";
import { FormatError } from "../../src/core/errors.js";
import type { Measurement } from "../../src/bo/lab.js";
import { pfoFlow, type Condition } from "../../src/twin/space.js";

const tmp = () => mkdtempSync(join(tmpdir(), "sdfl-store-"));
const cond: Condition = { T: 150, CuI: 100, ZnI2: 90, CsOA: 50, ODE: 250 };
const meas = (c: Condition, plqy: number): Measurement => ({
  condition: c,
  setPoints: { PFO: pfoFlow(c) },
  outcomes: { abs300: 0.8, pla: 20000, peak446: 1234 },
  objective: plqy,
  startedAt: 10,
  finishedAt: 70,
  meta: { plate: 149.9 },
});
const newCampaign = { lab: "test", strategy: "test-random", dataSource: "none", seed: 3, settings: { budget: 4 } };

describe("CampaignStore", () => {
  it("is a real file in WAL mode and round-trips proposals, measurements, fits and timings", () => {
    const file = join(tmp(), "c.sqlite");
    const store = CampaignStore.open(file, { create: true });
    expect(store.journalMode()).toBe("wal");
    const id = store.createCampaign(newCampaign);
    const j = store.journal(id);
    j.propose([{ index: 0, phase: "init", source: "lab", condition: cond, setPoints: { PFO: pfoFlow(cond) }, info: { design: "lhs:1" } }]);
    expect(j.experiments()[0].status).toBe("proposed");
    j.markRunning(0);
    expect(j.experiments()[0].status).toBe("running");
    j.recordMeasurement(0, meas(cond, 0.21), { run: 1.5 });
    j.recordFit({ index: 0, surrogate: "gp", seconds: 0.2, meta: { lengthscales: [1, 2] }, warnings: ["jitter 1e-6"] });
    j.recordTiming(0, "ask", 0.3);
    j.finish("finished");
    store.close();
    expect(existsSync(file)).toBe(true);

    const again = CampaignStore.open(file);
    const [c] = again.campaigns();
    expect(c).toMatchObject({ id, status: "finished", lab: "test", seed: 3, settings: { budget: 4 } });
    expect(c.finishedAt).toBeDefined();
    const [e] = again.experiments(id);
    expect(e).toMatchObject({ index: 0, phase: "init", source: "lab", status: "done", condition: cond, info: { design: "lhs:1" } });
    expect(e.measurement).toEqual(meas(cond, 0.21));
    expect(again.fits(id)).toEqual([{ index: 0, surrogate: "gp", seconds: 0.2, meta: { lengthscales: [1, 2] }, warnings: ["jitter 1e-6"] }]);
    expect(again.timings(id)).toEqual([
      { index: 0, step: "run", seconds: 1.5 },
      { index: 0, step: "ask", seconds: 0.3 },
    ]);
    again.close();
  });

  it("refuses a duplicate experiment index atomically (no half-written batch)", () => {
    const store = CampaignStore.open(join(tmp(), "d.sqlite"), { create: true });
    const j = store.journal(store.createCampaign(newCampaign));
    j.propose([{ index: 0, phase: "init", source: "lab", condition: cond, setPoints: { PFO: pfoFlow(cond) } }]);
    expect(() =>
      j.propose([
        { index: 1, phase: "init", source: "lab", condition: cond, setPoints: { PFO: pfoFlow(cond) } },
        { index: 0, phase: "init", source: "lab", condition: cond, setPoints: { PFO: pfoFlow(cond) } },
      ]),
    ).toThrow();
    expect(j.experiments().map((e) => e.index)).toEqual([0]);
    store.close();
  });

  it("stores any finite condition and features exactly (property)", () => {
    const store = CampaignStore.open(join(tmp(), "p.sqlite"), { create: true });
    const j = store.journal(store.createCampaign(newCampaign));
    let idx = 0;
    // SQLite keeps no sign of zero: -0 reads back as 0, so zeros are generated as +0; and
    // subnormal inputs (|v| < 1e-300) are generated as 0, because the derived set point
    // (pfoFlow) of a subnormal condition can underflow to -0 (seed 306010641).
    const num = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((v) => (Math.abs(v) < 1e-300 ? 0 : v));
    fc.assert(
      fc.property(fc.tuple(num, num, num, num, num), num, num, (x, a, p) => {
        const c: Condition = { T: x[0], CuI: x[1], ZnI2: x[2], CsOA: x[3], ODE: x[4] };
        const m: Measurement = {
          condition: c,
          setPoints: { PFO: pfoFlow(c) },
          outcomes: { abs300: a, pla: p },
          objective: a * p || 0,
          startedAt: 0,
          finishedAt: 1,
        };
        const i = idx++;
        j.addDone([{ proposal: { index: i, phase: "optimizer", source: "lab", condition: c, setPoints: { PFO: pfoFlow(c) } }, measurement: m }]);
        const back = j.experiments().find((e) => e.index === i)!;
        expect(back.measurement).toEqual(m);
        expect(back.condition).toEqual(c);
      }),
      { numRuns: 50 },
    );
    store.close();
  });

  it("refuses foreign files and newer schema versions with a FormatError", () => {
    const dir = tmp();
    const text = join(dir, "notes.txt");
    writeFileSync(text, "hello, this is not a database at all");
    expect(() => CampaignStore.open(text)).toThrow(FormatError);
    expect(() => CampaignStore.open(join(dir, "missing.sqlite"))).toThrow(/not found/);

    const foreign = join(dir, "foreign.sqlite");
    const db = new Database(foreign);
    db.exec("CREATE TABLE t (x INTEGER)");
    db.close();
    expect(() => CampaignStore.open(foreign)).toThrow(/not an sdfl campaign store/);

    const newer = join(dir, "newer.sqlite");
    CampaignStore.open(newer, { create: true }).close();
    const db2 = new Database(newer);
    db2.prepare("UPDATE store_info SET value = '99' WHERE key = 'schema_version'").run();
    db2.close();
    expect(() => CampaignStore.open(newer)).toThrow(/schema version 99; this sdfl reads versions up to 2/);
  });

  it("upgrades a schema-1 store (the paper's inputs as columns) in place, keeping every row", () => {
    const file = join(tmp(), "v1.sqlite");
    const db = new Database(file);
    db.exec(SCHEMA_V1);
    db.prepare("INSERT INTO store_info (key, value) VALUES ('format', ?), ('schema_version', '1')").run(STORE_FORMAT);
    db.prepare(
      "INSERT INTO campaigns (id, created_at, status, lab, strategy, data_source, seed, settings) VALUES (1, 'x', 'running', 'sim', 'ei', 'chem3', 1, '{}')",
    ).run();
    const ins = db.prepare(
      `INSERT INTO experiments (campaign_id, idx, phase, source, status, T, CuI, ZnI2, CsOA, ODE, PFO, proposed_at, run_condition, abs300, pla, peak446, plqy, lab_started_at, lab_finished_at)
       VALUES (1, ?, 'init', 'lab', ?, 150, 100, 90, 50, 250, 245, 'x', ?, ?, ?, ?, ?, 0, 60)`,
    );
    ins.run(0, "done", JSON.stringify({ T: 150.02, CuI: 100, ZnI2: 90, CsOA: 50, ODE: 250, PFO: 245 }), 0.8, 20000, null, 0.12);
    ins.run(1, "proposed", null, null, null, null, null);
    db.close();
    const store = CampaignStore.open(file);
    const [done, proposed] = store.experiments(1);
    expect(done).toMatchObject({ status: "done", condition: cond, setPoints: { PFO: 245 } });
    expect(done.measurement).toEqual({
      condition: { ...cond, T: 150.02 },
      setPoints: { PFO: 245 },
      outcomes: { abs300: 0.8, pla: 20000 },
      objective: 0.12,
      startedAt: 0,
      finishedAt: 60,
    });
    expect(proposed).toMatchObject({ status: "proposed", condition: cond, setPoints: { PFO: 245 } });
    expect(proposed.measurement).toBeUndefined();
    store.close();
    const raw = new Database(file);
    expect(raw.prepare("SELECT value FROM store_info WHERE key = 'schema_version'").get()).toEqual({ value: "2" });
    raw.close();
  });

  it("names the campaigns present when an id does not exist", () => {
    const store = CampaignStore.open(join(tmp(), "n.sqlite"), { create: true });
    store.createCampaign(newCampaign);
    expect(() => store.campaign(7)).toThrow(/no campaign 7; the store holds 1/);
    store.close();
  });
});
