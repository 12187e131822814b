import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess } from "../helpers/runProcess.js";
import { startRig, type Rig } from "../hil/emulators/rig.js";
import { FolderAutomation } from "../hil/emulators/folderAutomation.js";
import { socatMissing } from "../hil/socat.js";
import { CampaignStore } from "../../src/store/campaignStore.js";

// The compiled CLI (bin/sdfl.js -> dist/) against emulators running in this test process.
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin", "sdfl.js");
const sdfl = (args: string[], cwd: string) => runProcess(process.execPath, [BIN, ...args], { cwd, timeoutMs: 120_000 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function experiments(store: string) {
  const s = CampaignStore.open(store);
  try {
    return { rows: s.experiments(1), log: s.deviceLog(1).entries() };
  } finally {
    s.close();
  }
}

describe.skipIf(socatMissing() !== undefined)("sdfl campaign --lab hil on the emulated rig", () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig(mkdtempSync(join(tmpdir(), "sdfl-hilcli-")), { timeScale: 200 });
  });
  afterAll(async () => {
    await rig?.close();
  });
  const safe = () => {
    for (const [k, p] of Object.entries(rig.pumps)) expect(p.running, `pump ${k} stopped`).toBe(false);
    expect(rig.heater.setPoint()).toBe(25);
  };

  it("lab check reads every device and moves nothing", async () => {
    const before = Object.values(rig.pumps).map((p) => p.received.length);
    const r = await sdfl(["lab", "check", "--config", rig.configFile, "--json", "--quiet"], rig.dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.devices.map((d: { device: string }) => d.device)).toEqual([
      "pump:CuI",
      "pump:ZnI2",
      "pump:CsOA",
      "pump:ODE",
      "pump:PFO",
      "heater:plate",
      "spectrometers",
    ]);
    const sent = Object.values(rig.pumps).flatMap((p, i) => p.received.slice(before[i]));
    expect(sent.filter((c) => !["pump status", "dispensed volume"].includes(c))).toEqual([]);
  });

  it("runs a short campaign, journals the devices, and is killed -9 mid-experiment then resumed: nothing lost or repeated, re-run from a safe state", async () => {
    const store = join(rig.dir, "c.sqlite");
    const args = [
      "campaign",
      "--lab",
      "hil",
      "--config",
      rig.configFile,
      "--init",
      "lhs:2",
      "--budget",
      "2",
      "--strategy",
      "random",
      "--seed",
      "4",
      "--store",
      store,
      "--quiet",
    ];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: rig.dir, stdio: "ignore" });
    // Listen from the start: a child that ended before the kill would never emit "exit" again.
    const exited = new Promise((r) => child.once("exit", r));
    // Kill it while the third experiment runs.
    let running = false;
    for (let t = 0; t < 600 && !running && child.exitCode === null; t++) {
      await sleep(50);
      try {
        running = experiments(store).rows.some((x) => x.index === 2 && x.status === "running");
      } catch {
        // the store does not exist yet
      }
    }
    expect(running, `experiment 3 was never seen running (campaign exit code ${child.exitCode})`).toBe(true);
    await sleep(300);
    child.kill("SIGKILL");
    await exited;
    const mid = experiments(store).rows;
    expect(mid.filter((e) => e.status === "done")).toHaveLength(2);
    expect(Object.values(rig.pumps).some((p) => p.running)).toBe(true); // kill -9 leaves the rig as it was

    const r = await sdfl(["campaign", "--resume", "--store", store, "--json", "--quiet"], rig.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ experiments: 4, optimizerExperiments: 2 });
    const { rows, log } = experiments(store);
    expect(rows.map((e) => [e.index, e.status])).toEqual([
      [0, "done"],
      [1, "done"],
      [2, "done"],
      [3, "done"],
    ]);
    for (const e of rows) expect(e.measurement!.objective).toBeGreaterThan(0);
    // The resumed run stopped every pump before re-running experiment 3.
    const starts = log.flatMap((e, i) => (e.message.startsWith("connected; stopping every pump") ? [i] : []));
    expect(starts).toHaveLength(2);
    const safeStart = starts[1];
    expect(log.slice(safeStart).some((e) => e.kind === "step" && e.message.startsWith("heater set point"))).toBe(true);
    expect(log.filter((e) => e.kind === "command").length).toBeGreaterThan(50);
    safe();
    const exp = await sdfl(["campaign", "export", "--store", store, "--out", join(rig.dir, "export"), "--device-log", "--quiet"], rig.dir);
    expect(exp.code, exp.stderr).toBe(0);
    const csv = readFileSync(join(rig.dir, "export", "device-log.csv"), "utf8")
      .trim()
      .split("\n");
    expect(csv[0]).toBe("id,written_at,lab_time_s,device,kind,message,data");
    expect(csv.length - 1).toBe(log.length);
  }, 240_000);

  it("Ctrl-C twice: the campaign stops, every pump is stopped and the heater is at its safe set point", async () => {
    const store = join(rig.dir, "int.sqlite");
    const child = spawn(
      process.execPath,
      [BIN, "campaign", "--lab", "hil", "--config", rig.configFile, "--init", "lhs:2", "--budget", "1", "--strategy", "random", "--store", store],
      {
        cwd: rig.dir,
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    const exited = new Promise((r) => child.once("exit", r));
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    for (let t = 0; t < 400 && !Object.values(rig.pumps).every((p) => p.running); t++) await sleep(25);
    // A second Ctrl-C once the first is being handled (identical signals sent at once would merge into one).
    child.kill("SIGINT");
    for (let t = 0; t < 400 && !stderr.includes("SIGINT: stopping") && child.exitCode === null; t++) await sleep(2);
    const secondWhileAlive = child.exitCode === null && child.kill("SIGINT");
    const code = await exited;
    expect(code).toBe(130);
    expect(stderr).toMatch(/SIGINT: stopping every pump and putting the heater at its safe set point/);
    // The second signal is answered, never cutting the safe stop short (unless the stop had already finished).
    if (secondWhileAlive && !stderr.includes("interrupted")) expect(stderr).toMatch(/SIGINT again: still making the lab safe/);
    safe();
  }, 120_000);
});

describe("sdfl campaign --lab folder against a script playing the automation", () => {
  let auto: FolderAutomation;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sdfl-folder-"));
    auto = await FolderAutomation.create(dir, [
      [150, 100, 100, 50, 250, 250, 2, 0],
      [130, 90, 110, 30, 230, 230, 2, 0],
      [170, 110, 85, 70, 270, 267.5, 2, 0],
    ]);
    auto.start();
  });
  afterAll(async () => {
    await auto?.stop();
  });

  it("uses the measured FR.csv rows as initial data, appends each choice as eight columns and reads its spectra", async () => {
    const store = join(dir, "f.sqlite");
    const r = await sdfl(
      ["campaign", "--lab", "folder", "--folder", dir, "--budget", "2", "--strategy", "random", "--seed", "2", "--store", store, "--json", "--quiet"],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ experiments: 5, optimizerExperiments: 2 });
    const fr = readFileSync(join(dir, "FR.csv"), "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(",").map(Number));
    expect(fr).toHaveLength(5);
    for (const row of fr) {
      expect(row).toHaveLength(8);
      expect(row[5]).toBeCloseTo(0.5 * (row[1] + row[2] + row[3] + row[4]), 3);
      expect(row.slice(6)).toEqual([2, 0]);
    }
    const { rows } = experiments(store);
    expect(rows.filter((e) => e.phase === "init")).toHaveLength(3);
    const truth = auto.feeder.lab.evaluateTrue(rows.map((e) => e.measurement!.condition));
    rows.forEach((e, i) => expect(Math.abs(e.measurement!.objective - truth[i]) / truth[i]).toBeLessThan(0.05));
  }, 180_000);
});
