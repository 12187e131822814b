import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { findDataRoot } from "../../src/twin/dataPaths.js";
import { runProcess } from "../helpers/runProcess.js";

// benchmarks/problem-twin.ts --quick as CI runs it (compiled by npm test first): the problem
// twin of the built-in problem against the paper's cascade, out of fold on Chem3.
const ROOT = resolve(import.meta.dirname, "../..");
const SCRIPT = join(ROOT, "dist", "benchmarks", "problem-twin.js");

describe.runIf(existsSync(SCRIPT))("benchmarks, quick mode: problem-twin", () => {
  it("reports out-of-fold R^2 and coverage of the problem twin and the cascade on the same folds", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "sdfl-bench-"));
    mkdirSync(join(cwd, "benchmarks", "results"), { recursive: true });
    const r = await runProcess(process.execPath, [SCRIPT, "--quick"], { cwd, timeoutMs: 240_000, env: { ...process.env, SDFL_DATA: findDataRoot() } });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(join(cwd, "benchmarks", "results", "problem-twin.quick.json"), "utf8")) as {
      results: { chemistry: string; problemTwin: Record<string, number>; cascade: Record<string, number> }[];
    };
    expect(j.results.map((x) => x.chemistry)).toEqual(["chem3"]);
    for (const m of [j.results[0].problemTwin, j.results[0].cascade])
      for (const key of ["abs_r2", "pla_r2", "plqy_r2", "within1Std", "within2Std", "nll"]) expect(Number.isFinite(m[key]), key).toBe(true);
  }, 240_000);
});
