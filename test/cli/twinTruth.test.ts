import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCsv } from "../../src/core/csv.js";
import { runProcess } from "../helpers/runProcess.js";
import { conditions, LAB_COLUMNS, labCsv, TWO_OUTCOME_PROBLEM } from "../helpers/problemTwinData.js";

// A twin of your own problem as the simulated truth of a campaign and as a benchmark oracle,
// through the compiled CLI: 3 inputs, 2 outcomes, a minimised formula objective.
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin", "sdfl.js");
const dir = mkdtempSync(join(tmpdir(), "sdfl-twin-truth-"));
const sdfl = (args: string[], env: Record<string, string> = {}) =>
  runProcess(process.execPath, [BIN, ...args], { cwd: dir, timeoutMs: 120_000, env: { ...process.env, ...env } });
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (f: string) =>
  createHash("sha256")
    .update(readFileSync(join(dir, f)))
    .digest("hex");
const CAMPAIGN = ["campaign", "--twin", "my.json", "--strategy", "gp-ei", "--init", "lhs:5", "--budget", "3", "--seed", "3", "--quiet"];

beforeAll(async () => {
  writeFileSync(join(dir, "problem.json"), JSON.stringify({ ...TWO_OUTCOME_PROBLEM, columns: LAB_COLUMNS }));
  writeFileSync(join(dir, "runs.csv"), labCsv(conditions(24, 5)));
  // Lean: a small ensemble, few epochs (the twin's accuracy is not what is tested here).
  const t = await sdfl([
    "twin",
    "train",
    "--problem",
    "problem.json",
    "--data",
    "runs.csv",
    "--members",
    "4",
    "--max-epochs",
    "40",
    "--out",
    "my.json",
    "--quiet",
  ]);
  expect(t.code).toBe(0);
}, 180_000);

describe("a problem twin as campaign truth and bench oracle (child process)", () => {
  it("campaign --twin my.json runs on the twin's problem: outcomes are the twin's mean predictions, the objective its formula", async () => {
    const r = await sdfl([...CAMPAIGN, "--noise", "none", "--store", "a.sqlite", "--out", "a", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, "a", "summary.json"), "utf8"));
    expect(s.settings).toMatchObject({ lab: "sim", problem: { name: "flow-oxidation" }, twinSha256: sha("my.json") });
    expect(s.best.plqy).toBeUndefined();
    const t = readCsv(join(dir, "a", "data", "experiments.csv"));
    expect(t.header).toEqual(["experiment", "phase", "tau", "T2", "conc", "yield", "impurity", "cost"]);
    expect(t.rows).toHaveLength(8);
    // Noise-free: the recorded outcomes are exactly what `twin predict` gives at those conditions.
    const num = (row: { cells: string[] }, name: string) => Number(row.cells[t.header.indexOf(name)]);
    writeFileSync(join(dir, "ran.csv"), ["tau,T2,conc", ...t.rows.map((row) => ["tau", "T2", "conc"].map((n) => num(row, n)).join(","))].join("\n") + "\n");
    expect((await sdfl(["twin", "predict", "--twin", "my.json", "--input", "ran.csv", "--out", "pred.csv", "--quiet"])).code).toBe(0);
    const p = readCsv(join(dir, "pred.csv"));
    t.rows.forEach((row, i) => {
      const pred = (name: string) => Number(p.rows[i].cells[p.header.indexOf(name)]);
      expect(num(row, "yield")).toBeCloseTo(pred("yield_mean"), 6);
      expect(num(row, "impurity")).toBeCloseTo(pred("impurity_mean"), 6);
      expect(num(row, "cost")).toBeCloseTo(num(row, "impurity") - 0.1 * num(row, "yield"), 9);
    });
    // The best is the smallest cost (a minimize problem).
    expect(s.best.objective).toBeCloseTo(Math.min(...t.rows.map((row) => num(row, "cost"))), 9);
  });

  it("--problem must be the twin's or narrow it; published init is refused; nothing is created", async () => {
    const narrow = { ...TWO_OUTCOME_PROBLEM, inputs: TWO_OUTCOME_PROBLEM.inputs.map((i) => (i.name === "T2" ? { ...i, bounds: [30, 60] } : i)) };
    writeFileSync(join(dir, "narrow.json"), JSON.stringify(narrow));
    const n = await sdfl([...CAMPAIGN, "--problem", "narrow.json", "--noise", "0.04", "--store", "n.sqlite", "--out", "n"]);
    expect(n.code).toBe(0);
    const t = readCsv(join(dir, "n", "data", "experiments.csv"));
    for (const row of t.rows) {
      const T2 = Number(row.cells[t.header.indexOf("T2")]);
      expect(T2 >= 30 && T2 <= 60).toBe(true);
    }
    writeFileSync(join(dir, "wide.json"), JSON.stringify({ ...narrow, inputs: narrow.inputs.map((i) => (i.name === "T2" ? { ...i, bounds: [20, 95] } : i)) }));
    const wide = await sdfl([...CAMPAIGN, "--problem", "wide.json", "--store", "w.sqlite"]);
    expect(wide.code).toBe(2);
    expect(wide.stderr).toMatch(/--problem wide\.json with --twin .*my\.json: the bounds of T2 \(20 to 95 degC\) reach beyond the twin's \(20 to 80\)/);
    writeFileSync(join(dir, "other.json"), JSON.stringify({ ...TWO_OUTCOME_PROBLEM, objective: { outcome: "yield", goal: "maximize" } }));
    const other = await sdfl([...CAMPAIGN, "--problem", "other.json", "--store", "w.sqlite"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/its objective \(maximize yield\) is not the twin's \(minimize impurity - 0\.1 \* yield\)/);
    const published = await sdfl(["campaign", "--twin", "my.json", "--init", "published", "--store", "w.sqlite"]);
    expect(published.code).toBe(2);
    expect(published.stderr).toMatch(/--init published with the twin of problem "flow-oxidation"/);
    expect(existsSync(join(dir, "w.sqlite"))).toBe(false);
  });

  it("resume after a crash keeps the truth twin: a changed file is refused, the original finishes", async () => {
    copyFileSync(join(dir, "my.json"), join(dir, "keep.json"));
    const store = ["--store", "r.sqlite", "--out", "r"];
    const crash = await sdfl([...CAMPAIGN, ...store], { SDFL_FAULT_EXIT_AFTER: "6" });
    expect(crash.code).toBe(75);
    writeFileSync(join(dir, "my.json"), JSON.stringify(JSON.parse(readFileSync(join(dir, "keep.json"), "utf8")), null, 2));
    const refused = await sdfl(["campaign", "--resume", ...store, "--quiet"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/the truth twin .*my\.json is not the one campaign 1 started with/);
    copyFileSync(join(dir, "keep.json"), join(dir, "my.json"));
    const done = await sdfl(["campaign", "--resume", ...store, "--json", "--quiet"]);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ experiments: 8, optimizerExperiments: 3 });
  });

  it("bench --oracle my.json: the twin's problem, its minimum found by search, regret against it", async () => {
    const args = ["--strategy", "random,gp-ei", "--seeds", "1", "--budget", "3", "--init", "lhs:5", "--quick", "--workers", "0", "--json", "--quiet"];
    const r = await sdfl(["bench", "--oracle", "my.json", ...args, "--out", "b"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.oracle).toMatchObject({ name: "my", goal: "minimize" });
    const results = JSON.parse(readFileSync(out.files.results, "utf8"));
    expect(results.oracle).toMatchObject({ kind: "twin", objective: "cost", inputs: ["tau", "T2", "conc"] });
    for (const name of ["random", "gp-ei"])
      for (const run of results.strategies[name].runs) {
        expect(run.proposals.every((x: number[]) => x.length === 3)).toBe(true);
        // The searched minimum is at most every true value a run reached.
        expect(run.bestTrue.every((v: number) => v >= results.oracle.max - 1e-9)).toBe(true);
      }
    for (const s of out.summary) expect(s.finalMedianRegret).toBeGreaterThanOrEqual(0);
  });
});
