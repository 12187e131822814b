import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { findDataRoot } from "../../src/twin/dataPaths.js";
import { runProcess } from "../helpers/runProcess.js";
import { DEFAULT_STRATEGY } from "../../src/cli/builtinStrategies.js";

// The benchmarks' --quick modes, as CI runs them: each compiled script (npm test compiles
// first) runs in an empty working folder and must finish and write its JSON result.
const ROOT = resolve(import.meta.dirname, "../..");

async function runQuick(script: string, extra: string[] = []) {
  const cwd = mkdtempSync(join(tmpdir(), "sdfl-bench-"));
  mkdirSync(join(cwd, "benchmarks", "results"), { recursive: true });
  const r = await runProcess(process.execPath, [join(ROOT, "dist", "benchmarks", `${script}.js`), "--quick", ...extra], {
    cwd,
    timeoutMs: 240_000,
    env: { ...process.env, SDFL_DATA: findDataRoot() },
  });
  return { ...r, cwd };
}

function json(cwd: string, file: string): Record<string, unknown> {
  const p = join(cwd, "benchmarks", "results", file);
  expect(existsSync(p), `${file} written`).toBe(true);
  return JSON.parse(readFileSync(p, "utf8"));
}

describe.runIf(existsSync(join(ROOT, "dist", "benchmarks")))("benchmarks, quick mode", () => {
  it("cli-startup: times sdfl --help against a bare node start", async () => {
    const r = await runQuick("cli-startup");
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.cwd, "cli-startup.quick.json") as { sdflHelp: { median_s: number }; nodeBare: { median_s: number } };
    expect(j.sdflHelp.median_s).toBeGreaterThan(0);
    expect(j.nodeBare.median_s).toBeGreaterThan(0);
  }, 240_000);

  it("train: trains the Chem3 ensemble and reports seconds, member-epochs and R^2", async () => {
    const r = await runQuick("train");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.stringify(json(r.cwd, "train.quick.json"))).toMatch(/plqy_r2|plqyR2/);
  }, 240_000);

  it("twin-cv: out-of-fold R^2 and coverage of the default schedule on Chem3", async () => {
    const r = await runQuick("twin-cv");
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.cwd, "twin-cv.quick.json") as { summary: { plqy_r2: number; within2Std: number }[] };
    expect(j.summary).toHaveLength(1);
    expect(Number.isFinite(j.summary[0].plqy_r2) && Number.isFinite(j.summary[0].within2Std)).toBe(true);
  }, 240_000);

  it("twin-calibration-study: refits calibration variants on out-of-bag residuals and scores them out of fold", async () => {
    const r = await runQuick("twin-calibration-study");
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.cwd, "twin-calibration-study.quick.json") as {
      variants: { variant: string; dumps: { perRun: { within1Std: number; within2Std: number }[] }[] }[];
    };
    expect(j.variants.length).toBeGreaterThan(1);
    for (const v of j.variants) {
      const run = v.dumps[0].perRun[0];
      expect(run.within1Std, v.variant).toBeGreaterThan(0);
      expect(run.within2Std, v.variant).toBeGreaterThanOrEqual(run.within1Std);
    }
  }, 240_000);

  it("predict: reports points per second per batch size", async () => {
    const r = await runQuick("predict");
    expect(r.code, r.stderr).toBe(0);
    json(r.cwd, "predict.quick.json");
  }, 240_000);

  it("sim: reports simulated experiments per second", async () => {
    const r = await runQuick("sim");
    expect(r.code, r.stderr).toBe(0);
    json(r.cwd, "sim.quick.json");
  }, 240_000);

  it("acqf: compares the original acquisition setting with the default", async () => {
    const r = await runQuick("acqf");
    expect(r.code, r.stderr).toBe(0);
    json(r.cwd, "acqf-quick.json");
  }, 240_000);

  it("bo-quality: runs the corner (warm, cold) and interior scenarios and times an iteration of the default strategy", async () => {
    const r = await runQuick("bo-quality", ["--workers", "1"]);
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.cwd, "bo-quality.quick.json") as { results: unknown[] };
    expect(j.results.length).toBeGreaterThan(0);
  }, 240_000);

  it("bo-iteration: times one iteration (refit + recommendation + acquisition) of the default strategy after 60 and more points", async () => {
    const r = await runQuick("bo-iteration");
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.cwd, "bo-iteration.quick.json") as { rows: { points: number; iterationWallSeconds: number; iterationCpuSeconds: number }[] };
    expect(j.rows.map((x) => x.points)).toEqual([60, 62]);
    for (const row of j.rows) expect(row.iterationWallSeconds).toBeGreaterThan(0);
  }, 240_000);

  it("bo-goals: scores a bench sweep's final recommendations against the issue-12 goals", async () => {
    const r = await runQuick("bo-goals");
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.cwd, "bo-goals.quick.json") as { rows: { strategy: string; n: number; median: number; worst: number; meetsGoal?: boolean }[] };
    expect(j.rows.map((x) => x.strategy).sort()).toEqual([DEFAULT_STRATEGY, "random"].sort());
    for (const row of j.rows) {
      expect(row.n).toBe(2);
      expect(row.worst).toBeLessThanOrEqual(row.median);
      expect(row.median).toBeLessThanOrEqual(1 + 1e-9);
    }
    expect(typeof j.rows.find((x) => x.strategy === DEFAULT_STRATEGY)!.meetsGoal).toBe("boolean");
  }, 240_000);

  it("bo-recommendation-replay: replays a bench sweep exactly and re-scores its recommendation with other GP noise models", async () => {
    const r = await runQuick("bo-recommendation-replay");
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.cwd, "bo-recommendation-replay.quick.json") as {
      rows: { n: number; allReplaysMatch: boolean; recorded: { median: number }; models: Record<string, { median: number; worst: number }> }[];
    };
    expect(j.rows.length).toBe(1);
    const row = j.rows[0];
    expect(row.n).toBe(2);
    // The replay reproduces every reading: the best sampled point is the recorded one.
    expect(row.allReplaysMatch).toBe(true);
    expect(Object.keys(row.models).sort()).toEqual(["plain", "shaped"]);
    for (const m of Object.values(row.models)) {
      expect(m.worst).toBeLessThanOrEqual(m.median);
      expect(m.median).toBeLessThanOrEqual(1 + 1e-9);
    }
  }, 240_000);

  it("bo-additive-loo: replays a bench sweep and reports the additive part's leave-one-out gain per size and prior mean", async () => {
    const r = await runQuick("bo-additive-loo");
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.cwd, "bo-additive-loo.quick.json") as {
      cells: {
        n: number;
        mean: string;
        runs: number;
        min: number;
        median: number;
        max: number;
        gains: { looWith: number; looWithout: number; gain: number }[];
      }[];
    };
    // Three sizes (the design, half the budget, all) times two prior means, 2 runs each.
    expect(j.cells.length).toBe(6);
    expect(new Set(j.cells.map((c) => c.mean))).toEqual(new Set(["constant", "linear"]));
    for (const c of j.cells) {
      expect(c.runs).toBe(2);
      expect(c.min).toBeLessThanOrEqual(c.median);
      expect(c.median).toBeLessThanOrEqual(c.max);
      for (const g of c.gains) {
        expect(Number.isFinite(g.looWith) && Number.isFinite(g.looWithout)).toBe(true);
        expect(g.gain).toBeCloseTo(g.looWith - g.looWithout, 12);
      }
    }
  }, 240_000);

  it("queue: measures the queue's overhead per run and throughput with 1 and 2 workers on a real redis-server", async () => {
    const r = await runQuick("queue");
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.cwd, "queue.quick.json") as {
      tinyRun: { queueGapBetweenJobsMs: number; perJobStartupMs: number };
      queueCeiling: { jobsPerSecond: number };
    };
    expect(j.tinyRun.queueGapBetweenJobsMs).toBeGreaterThanOrEqual(0);
    expect(j.tinyRun.perJobStartupMs).toBeGreaterThan(0);
    expect(j.queueCeiling.jobsPerSecond).toBeGreaterThan(0);
  }, 240_000);

  it("testing-power: counts beats-random verdicts per strategy", async () => {
    const r = await runQuick("testing-power", ["--verdicts", "1", "--only", "random,gp-ei"]);
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.cwd, "testing-power.quick.json") as { rows: { passRate: number }[] };
    expect(j.rows.length).toBe(4);
  }, 240_000);

  it("shap-paper-check: explains the published Chem1 twin", async () => {
    const r = await runQuick("shap-paper-check");
    expect(r.code, r.stderr).toBe(0);
    json(r.cwd, "shap-paper-check.quick.json");
  }, 240_000);

  it("hil-chaos: kills device-mode campaigns on the emulated rig, resumes them, nothing lost or repeated, devices safe", async () => {
    const r = await runQuick("hil-chaos");
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.cwd, "hil-chaos.quick.json") as { kills: number; lost: number; repeatedIndices: number; safeAtEnd: boolean };
    expect(j).toMatchObject({ lost: 0, repeatedIndices: 0, safeAtEnd: true });
    expect(j.kills).toBeGreaterThanOrEqual(1);
  }, 240_000);
});
