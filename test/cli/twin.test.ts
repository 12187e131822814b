import { afterAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { readCsv } from "../../src/core/csv.js";
import { findDataRoot } from "../../src/twin/dataPaths.js";

const run = promisify(execFile);
const repo = resolve(__dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "sdfl-twin-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the built CLI (dist/, compiled by `npm test` before vitest). */
async function sdfl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return sdflEnv({}, ...args);
}
async function sdflEnv(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run("node", [join(repo, "bin/sdfl.js"), ...args], { cwd: repo, maxBuffer: 1 << 26, env: { ...process.env, ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const small = ["--members", "3", "--max-epochs", "60", "--seed", "3"];

describe("sdfl twin (end to end, built CLI)", () => {
  it("train --json reports backend, timing, epochs and R^2; predict and evaluate use the file", async () => {
    const twin = join(dir, "t.json");
    const tr = await sdfl("twin", "train", "--data", "chem2", "--out", twin, ...small, "--schedule", "fast", "--json", "--plot", join(dir, "train.svg"));
    expect(tr.code).toBe(0);
    const j = JSON.parse(tr.stdout);
    expect(["tensorflow", "wasm", "cpu"]).toContain(j.backend);
    expect(j.seconds).toBeGreaterThan(0);
    expect(j.epochs).toHaveLength(3);
    for (const set of [j.train, j.validation]) for (const k of ["plqy_r2", "abs_r2", "pla_r2"]) expect(typeof set[k]).toBe("number");
    expect(tr.stderr).toMatch(/backend/);
    expect(readFileSync(join(dir, "train.svg"), "utf8")).toMatch(/^<svg/);

    const inputs = join(findDataRoot(), "lhs/chem2/inputs.csv");
    const pr = await sdfl("twin", "predict", "--twin", twin, "--input", inputs, "--out", join(dir, "p.csv"));
    expect(pr.code).toBe(0);
    const tab = readCsv(join(dir, "p.csv"));
    expect(tab.header).toEqual([
      "T",
      "CuI",
      "ZnI2",
      "CsOA",
      "ODE",
      "abs_mean",
      "abs_std",
      "pla_mean",
      "pla_std",
      "plqy_mean",
      "plqy_std",
      "abs_pred_std",
      "pla_pred_std",
      "plqy_pred_std",
    ]);
    expect(tab.rows).toHaveLength(60);
    // The twin's calibrated predictive std: sqrt(scale * member variance + noise + relVar * mean^2), from the file.
    const cal = JSON.parse(readFileSync(twin, "utf8")).calibration.plqy;
    for (const r of tab.rows.slice(0, 5)) {
      const [mean, std] = [Number(r.cells[9]), Number(r.cells[10])];
      expect(Number(r.cells[13])).toBeCloseTo(Math.sqrt(cal.scale * std ** 2 + cal.noiseVar + (cal.relVar ?? 0) * mean ** 2), 8);
    }

    const ev = await sdfl("twin", "evaluate", "--twin", twin, "--data", "chem2", "--json", "--plot", join(dir, "parity.svg"));
    expect(ev.code).toBe(0);
    const e = JSON.parse(ev.stdout);
    expect(e.sameData).toBe(true);
    expect(e.validation.plqy_r2).toBeCloseTo(j.validation.plqy_r2, 4);
    expect(readFileSync(join(dir, "parity.svg"), "utf8")).toMatch(/validation \(n = 12\)/);
  });

  it("training is identical with one or two worker threads", async () => {
    const a = join(dir, "w1.json");
    const b = join(dir, "w2.json");
    expect((await sdfl("twin", "train", "--data", "chem1", "--out", a, ...small, "--workers", "1")).code).toBe(0);
    expect((await sdfl("twin", "train", "--data", "chem1", "--out", b, ...small, "--workers", "2")).code).toBe(0);
    expect(JSON.parse(readFileSync(b, "utf8")).members).toEqual(JSON.parse(readFileSync(a, "utf8")).members);
  });

  it("evaluate --cv K: pooled out-of-fold R^2, coverage, NLL and a calibration plot", async () => {
    const twin = join(dir, "cv.json");
    expect((await sdfl("twin", "train", "--data", "chem1", "--out", twin, "--members", "2", "--max-epochs", "10", "--patience", "5")).code).toBe(0);
    const r = await sdfl("twin", "evaluate", "--twin", twin, "--data", "chem1", "--cv", "2", "--calibration-plot", join(dir, "cal.svg"), "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.cv.folds).toBe(2);
    for (const k of ["abs_r2", "pla_r2", "plqy_r2"]) expect(Number.isFinite(j.cv[k])).toBe(true);
    expect(j.cv.calibration.n).toBe(60);
    expect(j.cv.rawCalibration.within2Std).toBeGreaterThanOrEqual(j.cv.rawCalibration.within1Std);
    expect(r.stderr).toMatch(/fold 2\/2/);
    expect(readFileSync(join(dir, "cal.svg"), "utf8")).toMatch(/member spread/);
    const noCv = await sdfl("twin", "evaluate", "--twin", twin, "--calibration-plot", join(dir, "x.svg"));
    expect(noCv.code).toBe(2);
    expect(noCv.stderr).toMatch(/needs --cv K/);
  }, 120_000);

  it("SDFL_TF_BACKEND=cpu selects the cpu backend; --cv adds cross-validation to the JSON and calibrates on it", async () => {
    const r = await sdflEnv(
      { SDFL_TF_BACKEND: "cpu" },
      "twin",
      "train",
      "--data",
      "chem1",
      "--out",
      join(dir, "cpu.json"),
      "--members",
      "2",
      "--max-epochs",
      "10",
      "--cv",
      "2",
      "--json",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.backend).toBe("cpu");
    expect(j.cv.folds).toBe(2);
    expect(j.cv.calibration.n).toBe(60);
    const file = JSON.parse(readFileSync(join(dir, "cpu.json"), "utf8"));
    expect(file.training.backend).toBe("cpu");
    expect(file.calibration.method).toBe("cross-validation (2 folds)");
    expect(file.calibration).toEqual(j.calibration);
  });

  it("predict with the published Chem1 twin reproduces chem1_predictions.csv to 1e-4 relative", async () => {
    const ref = join(findDataRoot(), "twins/chem1_predictions.csv");
    expect((await sdfl("twin", "predict", "--twin", "chem1", "--input", ref, "--out", join(dir, "c1.csv"))).code).toBe(0);
    const want = readCsv(ref);
    const got = readCsv(join(dir, "c1.csv"));
    expect(got.rows).toHaveLength(want.rows.length);
    let worst = 0;
    want.rows.forEach((r, i) => {
      for (let c = 0; c < 11; c++) worst = Math.max(worst, Math.abs(Number(got.rows[i].cells[c]) / Number(r.cells[c]) - 1));
    });
    expect(worst).toBeLessThan(1e-4);
  });

  it("usage errors exit 2, bad input exits 1 with a located message and no stack trace", async () => {
    const noOut = await sdfl("twin", "train", "--data", "chem1");
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out is required/);
    const badSchedule = await sdfl("twin", "train", "--out", join(dir, "x.json"), "--schedule", "slow");
    expect(badSchedule.code).toBe(2);
    expect(badSchedule.stderr).toMatch(/unknown training schedule "slow"/);
    const csv = join(dir, "bad.csv");
    writeFileSync(csv, "T,CuI,ZnI2,CsOA\n150,100,100,50\n");
    const bad = await sdfl("twin", "predict", "--twin", "chem1", "--input", csv, "--out", join(dir, "y.csv"));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.csv:1.*missing column "ODE"/);
    expect(bad.stderr).not.toMatch(/at .*\.js:\d+/);
    writeFileSync(csv, "T,CuI,ZnI2,CsOA,ODE\n150,100,100,50,300\n");
    const out = await sdfl("twin", "predict", "--twin", "chem1", "--input", csv, "--out", join(dir, "y.csv"));
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/bad\.csv:2:16 \(column "ODE"\).*ODE = 300 uL\/min is outside the twin's input range 220 to 280/);
  });
});
