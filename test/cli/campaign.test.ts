import { spawn } from "node:child_process";
import { runProcess } from "../helpers/runProcess.js";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CampaignStore } from "../../src/store/campaignStore.js";
import { findDataRoot } from "../../src/twin/dataPaths.js";

// These tests run the compiled CLI (bin/sdfl.js -> dist/), as a user does; `npm test` compiles first.
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin", "sdfl.js");

function sdfl(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  return runProcess(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, timeoutMs: 200_000 });
}

const fast = ["--lab", "branin-reactor5d", "--init", "lhs:5", "--strategy", "random", "--seed", "3"];

describe("sdfl campaign (child process)", () => {
  it("survives a crash mid-experiment: --resume re-runs the unfinished proposal, repeats nothing, loses nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-crash-"));
    const store = join(dir, "c.sqlite");
    // Exit inside the 9th lab call: 5 design points and 3 optimizer experiments are done.
    const crashed = await sdfl(["campaign", ...fast, "--budget", "6", "--store", store, "--quiet"], { SDFL_FAULT_EXIT_AFTER: "8" });
    expect(crashed.code).toBe(75);
    let s = CampaignStore.open(store);
    const before = s.experiments(1);
    s.close();
    expect(before.filter((e) => e.status === "done")).toHaveLength(8);
    const unfinished = before.filter((e) => e.status !== "done");
    expect(unfinished).toHaveLength(1);
    expect(unfinished[0]).toMatchObject({ index: 8, status: "running", phase: "optimizer" });

    const resumed = await sdfl(["campaign", "--resume", "--store", store, "--json", "--quiet"]);
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary).toMatchObject({ campaign: 1, experiments: 11, optimizerExperiments: 6 });

    s = CampaignStore.open(store);
    const after = s.experiments(1);
    expect(s.campaign(1).status).toBe("finished");
    s.close();
    expect(after.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(after.every((e) => e.status === "done")).toBe(true);
    expect(after.map((e) => e.phase)).toEqual([...Array(5).fill("init"), ...Array(5).fill("optimizer"), "exploit"]);
    // Finished experiments untouched; the interrupted one ran again with the same condition.
    for (let i = 0; i < 8; i++) expect(after[i].measurement).toEqual(before[i].measurement);
    expect(after[8].condition).toEqual(unfinished[0].condition);
    expect(after[8].measurement!.condition).toEqual(unfinished[0].condition);
    const conds = after.map((e) => JSON.stringify(e.condition));
    expect(new Set(conds).size).toBe(conds.length);
    // Outputs of the finished campaign.
    for (const f of Object.values(summary.files as Record<string, string>)) expect(existsSync(f)).toBe(true);
    expect(readFileSync(summary.files.inputs, "utf8").split("\n")[0]).toBe("T,CuI,ZnI2,CsOA,ODE,PFO,# res. t,washing");
    expect(readFileSync(summary.files.bestSoFar, "utf8")).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    // Nothing left to resume.
    const again = await sdfl(["campaign", "--resume", "--store", store]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/no unfinished campaign to resume/);
  });

  it("resumes a crash during the initial design, running each design point exactly once", async () => {
    const store = join(mkdtempSync(join(tmpdir(), "sdfl-crash-")), "c.sqlite");
    expect((await sdfl(["campaign", ...fast, "--budget", "2", "--store", store, "--quiet"], { SDFL_FAULT_EXIT_AFTER: "2" })).code).toBe(75);
    let s = CampaignStore.open(store);
    const before = s.experiments(1);
    s.close();
    expect(before.map((e) => e.status)).toEqual(["done", "done", "running", "proposed", "proposed"]);
    expect((await sdfl(["campaign", "--resume", "--store", store, "--quiet"])).code).toBe(0);
    s = CampaignStore.open(store);
    const after = s.experiments(1);
    s.close();
    expect(after).toHaveLength(7);
    expect(after.slice(0, 5).map((e) => e.condition)).toEqual(before.map((e) => e.condition));
    expect(after.every((e) => e.status === "done")).toBe(true);
  });

  it("runs on the simulator with published initial data and a user strategy module, and appends campaigns to one store", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-sim-"));
    const store = join(dir, "c.sqlite");
    const args = [
      "campaign",
      "--sim-mode",
      "steady",
      "--budget",
      "2",
      "--store",
      store,
      "--json",
      "--strategy-module",
      join(ROOT, "test/fixtures/randomStrategy.mjs"),
      "--out",
      join(dir, "out"),
    ];
    // Run from an empty folder: the first campaign trains the Chem3 truth twin into twins/chem3.json, the second reuses it.
    const env = { SDFL_DATA: findDataRoot() };
    const r = await sdfl(args, env, dir);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ campaign: 1, experiments: 62, optimizerExperiments: 2 });
    expect(r.stderr).toMatch(/60 experiments with results \(published data/);
    expect(r.stderr).toMatch(/\[exploit 2\/2\] experiment 62:/); // the experiment number, as in the store, report and dashboard
    expect(r.stderr).toMatch(/no twin for chem3 yet: training one/);
    expect(existsSync(join(dir, "twins", "chem3.json"))).toBe(true);
    // The same --out again is refused before any work (results are never replaced unasked) and leaves no campaign behind.
    const refused = await sdfl(args, env, dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--out .* already holds .*pass --force/s);
    const again = await sdfl([...args.slice(0, -2), "--out", join(dir, "out2")], env, dir);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/training one/);
    const s = CampaignStore.open(store);
    expect(s.campaigns().map((c) => c.id)).toEqual([1, 2]);
    const rows = s.experiments(1);
    expect(rows.slice(0, 60).every((e) => e.source === "dataset")).toBe(true);
    expect(rows.slice(60).every((e) => e.source === "lab" && e.measurement!.startedAt >= 0)).toBe(true);
    s.close();
    const exp = await sdfl(["campaign", "export", "--store", store, "--campaign", "1", "--only-lab", "--out", join(dir, "exp"), "--json"]);
    expect(exp.code).toBe(0);
    expect(JSON.parse(exp.stdout).rows).toBe(2);
  }, 360_000); // trains a twin and runs two campaigns, each writing its report (SHAP): minutes on a busy 2-core machine, ~30 s on a quiet one

  it("Ctrl-C (SIGINT) stops the campaign between experiments with exit code 130 and a resume hint", async () => {
    const store = join(mkdtempSync(join(tmpdir(), "sdfl-int-")), "c.sqlite");
    const child = spawn(process.execPath, [BIN, "campaign", ...fast, "--budget", "100000", "--store", store], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    let sent = false;
    child.stderr.on("data", (d) => {
      err += d;
      if (!sent && /\[3\/100000\]/.test(err)) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(130);
    expect(err).toMatch(/campaign 1 interrupted; continue it with: sdfl campaign --resume --store/);
    const s = CampaignStore.open(store);
    const rows = s.experiments(1);
    expect(s.campaign(1).status).toBe("running");
    s.close();
    expect(rows.filter((e) => e.status !== "done").length).toBeLessThanOrEqual(1);
    expect(rows.filter((e) => e.status === "failed")).toHaveLength(0);
    expect(rows.length).toBeLessThan(1000);
  });

  it("reports user mistakes without a stack trace", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-bad-"));
    const notDb = join(dir, "notes.sqlite");
    writeFileSync(notDb, "just some text, not a database");
    const cases: [string[], number, RegExp][] = [
      [["campaign", "--budget", "abc"], 2, /--budget must be an integer/],
      [["campaign", "--init", "grid:5"], 2, /--init "grid:5" is not understood/],
      [["campaign", "--lab", "moon"], 2, /--lab moon is not a known lab/],
      [["campaign", "--lab", "branin-reactor5d", "--init", "published"], 2, /measured on the reactor, not on branin/],
      [["campaign", "--strategy", "magic"], 2, /unknown strategy "magic"/],
      [["campaign", "--twin", join(dir, "none.json")], 2, /--twin: file not found/],
      [["campaign", ...fast, "--budget", "1", "--store", notDb], 1, /not an SQLite database/],
      [["campaign", "--resume", "--store", join(dir, "missing.sqlite")], 1, /campaign store not found/],
      [["campaign", "export", "--store", notDb, "--out", dir], 1, /not an SQLite database/],
    ];
    for (const [args, code, msg] of cases) {
      const r = await sdfl(args, { SDFL_DATA: findDataRoot() }, dir);
      expect(r.stderr, args.join(" ")).toMatch(msg);
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
    }
  });
});
