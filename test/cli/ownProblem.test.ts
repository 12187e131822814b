import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runProcess } from "../helpers/runProcess.js";
import oracle from "../fixtures/threeInputOracle.mjs";

// A problem that is not the paper's, end to end through the compiled CLI: three inputs with a
// linear constraint, data in one CSV whose columns have other names, then ask/tell by hand
// (suggest / observe) and a campaign on an oracle module (campaign --lab FILE.mjs). The
// fixture oracle module gives the problem and the true yield.
const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin", "sdfl.js");
const sdfl = (args: string[], cwd: string) => runProcess(process.execPath, [BIN, ...args], { cwd, timeoutMs: 90_000 });

type Cond = { tau: number; T2: number; conc: number };
const truth = (c: Cond): number => (oracle.evaluate as (cs: Cond[]) => number[])([c])[0];
const feasible = (c: Cond) => c.T2 + 0.5 * c.tau <= 100 + 1e-9 && c.tau >= 10 && c.tau <= 100 && c.T2 >= 20 && c.T2 <= 80 && c.conc >= 0.1 && c.conc <= 1;

function setup(): string {
  const dir = mkdtempSync(join(tmpdir(), "sdfl-own-"));
  writeFileSync(join(dir, "problem.json"), JSON.stringify({ ...oracle.problem, columns: { tau: "residence_s" } }));
  // Initial results from "someone else's spreadsheet": other column names, a unit in a header.
  const start: Cond[] = [
    { tau: 20, T2: 40, conc: 0.5 },
    { tau: 60, T2: 60, conc: 0.3 },
    { tau: 90, T2: 30, conc: 0.9 },
    { tau: 35, T2: 70, conc: 0.7 },
  ];
  writeFileSync(
    join(dir, "start.csv"),
    ["residence_s,temp_C,c_M,Yield (%)", ...start.map((c) => `${c.tau},${c.T2},${c.conc},${truth(c).toFixed(3)}`)].join("\n") + "\n",
  );
  return dir;
}

describe("bring your own problem (child process)", () => {
  it("problem show validates and prints a problem file; a mistake names the field", async () => {
    const dir = setup();
    const r = await sdfl(["problem", "show", "--problem", "problem.json"], dir);
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout);
    expect(shown.inputs.map((i: { name: string }) => i.name)).toEqual(["tau", "T2", "conc"]);
    expect(shown.constraints).toEqual([{ name: "heat budget", expression: "T2 + 0.5 * tau <= 100" }]);
    const bad = JSON.parse(readFileSync(join(dir, "problem.json"), "utf8"));
    bad.inputs[1].bounds = [80, 20];
    writeFileSync(join(dir, "bad.json"), JSON.stringify(bad));
    const e = await sdfl(["problem", "show", "--problem", "bad.json"], dir);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/bad\.json: inputs\[1\]\.bounds: low 80 must be below high 20 degC/);
    expect(e.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  });

  it("suggest / observe: data from a CSV with other column names, suggestions journaled, results matched, mistakes named by line", async () => {
    const dir = setup();
    const columns = ["--columns", "T2=temp_C,conc=c_M,yield=Yield (%)"];
    const s1 = await sdfl(
      ["suggest", "--store", "s.sqlite", "--problem", "problem.json", "--data", "start.csv", ...columns, "--n", "3", "--json", "--quiet"],
      dir,
    );
    expect(s1.stderr).toBe("");
    expect(s1.code).toBe(0);
    const first = JSON.parse(s1.stdout) as { suggestions: { id: number; condition: Cond }[]; pending: number[] };
    expect(first.suggestions.map((s) => s.id)).toEqual([5, 6, 7]);
    expect(first.pending).toEqual([5, 6, 7]);
    for (const s of first.suggestions) expect(feasible(s.condition), JSON.stringify(s.condition)).toBe(true);

    // Results for two of them, matched by their inputs (no id column), columns named as in the data file.
    const rows = first.suggestions.slice(0, 2).map((s) => `${s.condition.tau},${s.condition.T2},${s.condition.conc},${truth(s.condition)}`);
    writeFileSync(join(dir, "res.csv"), ["residence_s,temp_C,c_M,Yield (%)", ...rows].join("\n") + "\n");
    const o1 = await sdfl(["observe", "--store", "s.sqlite", "--results", "res.csv", ...columns, "--json"], dir);
    expect(o1.code).toBe(0);
    expect(JSON.parse(o1.stdout)).toMatchObject({ recorded: [5, 6], pending: [7] });

    // The same file again: already observed -> refused by line; nothing overwritten.
    const again = await sdfl(["observe", "--store", "s.sqlite", "--results", "res.csv", ...columns], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/res\.csv:2: the row \(.*\) matches no pending suggestion of campaign 1/);
    // A row that matches nothing, and a row with a missing value.
    writeFileSync(join(dir, "bad.csv"), "residence_s,temp_C,c_M,Yield (%)\n11,21,0.11,5\n");
    expect((await sdfl(["observe", "--store", "s.sqlite", "--results", "bad.csv", ...columns], dir)).stderr).toMatch(
      /bad\.csv:2: .*matches no pending suggestion.*\n.*pending: 7/,
    );
    writeFileSync(join(dir, "gap.csv"), `id,residence_s,temp_C,c_M,Yield (%)\n7,${Object.values(first.suggestions[2].condition).join(",")},\n`);
    expect((await sdfl(["observe", "--store", "s.sqlite", "--results", "gap.csv", ...columns], dir)).stderr).toMatch(
      /gap\.csv: 1 row\(s\) with missing values: line 2 \(Yield \(%\)\)/,
    );

    // The next suggestion knows the results and the pending one.
    const s2 = await sdfl(["suggest", "--store", "s.sqlite", "--json", "--quiet"], dir);
    const second = JSON.parse(s2.stdout) as { suggestions: { id: number; condition: Cond }[]; pending: number[] };
    expect(second.suggestions.map((s) => s.id)).toEqual([8]);
    expect(second.pending).toEqual([7, 8]);
    expect(feasible(second.suggestions[0].condition)).toBe(true);

    // The ask/tell store exports and reports on the problem's own terms (4 + 2 results; pending ones are not written).
    const ex = await sdfl(["campaign", "export", "--store", "s.sqlite", "--out", "exp", "--json"], dir);
    expect(ex.code).toBe(0);
    const csv = readFileSync(JSON.parse(ex.stdout).experiments, "utf8").trim().split("\n");
    expect(csv[0]).toBe("experiment,phase,tau,T2,conc,yield,objective");
    expect(csv.slice(1).map((l) => l.split(",")[0])).toEqual(["1", "2", "3", "4", "5", "6"]);
    const rep = await sdfl(["report", "--store", "s.sqlite", "--out", "rep", "--quiet"], dir);
    expect(rep.stderr).toBe("");
    expect(rep.code).toBe(0);
    const html = readFileSync(join(dir, "rep", "report.html"), "utf8");
    expect(html).toMatch(/conc \(M\)/);
    expect(html).not.toMatch(/PLQY|Abs300/i);
  });

  it("campaign --lab <oracle module> --problem --data FILE.csv --columns: crash, resume, export and report on the problem's own terms", async () => {
    const dir = setup();
    copyFileSync(resolve(ROOT, "test/fixtures/threeInputOracle.mjs"), join(dir, "oracle.mjs"));
    const start = ["campaign", "--lab", "oracle.mjs", "--problem", "problem.json", "--data", "start.csv"];
    const rest = ["--columns", "T2=temp_C,conc=c_M,yield=Yield (%)", "--strategy", "gp-ei", "--budget", "3", "--noise", "0", "--store", "c.sqlite"];

    // Mistakes refused before anything is created: the ENN (the paper's twin) on another problem, a row with a missing value.
    const enn = await sdfl([...start, ...rest, "--strategy", "enn-ei"], dir);
    expect(enn.code).toBe(2);
    expect(enn.stderr).toMatch(/--strategy enn-ei uses the ENN twin of the paper's reactor.*problem "three-inputs".*use a GP strategy/s);
    writeFileSync(join(dir, "gap.csv"), "residence_s,temp_C,c_M,Yield (%)\n20,40,0.5,60\n60,,0.3,50\n");
    const gap = await sdfl(["campaign", "--lab", "oracle.mjs", "--problem", "problem.json", "--data", "gap.csv", ...rest], dir);
    expect(gap.code).toBe(1);
    expect(gap.stderr).toMatch(/gap\.csv: 1 row\(s\) with missing values: line 3 \(temp_C\)/);
    expect(existsSync(join(dir, "c.sqlite"))).toBe(false);

    // A crash in the middle of the second optimizer experiment (after it was journaled), then --resume.
    const crash = await runProcess(process.execPath, [BIN, ...start, ...rest, "--quiet"], {
      cwd: dir,
      env: { ...process.env, SDFL_FAULT_EXIT_AFTER: "1" },
      timeoutMs: 90_000,
    });
    expect(crash.code).toBe(75);
    // A changed oracle module is refused on resume (the store holds its SHA-256), the original is accepted.
    const original = readFileSync(join(dir, "oracle.mjs"), "utf8");
    writeFileSync(join(dir, "oracle.mjs"), original.replace("optimum: 80", "optimum: 81"));
    const changed = await sdfl(["campaign", "--resume", "--store", "c.sqlite"], dir);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/the oracle module .*oracle\.mjs is not the one campaign 1 started with/);
    writeFileSync(join(dir, "oracle.mjs"), original);
    const r = await sdfl(["campaign", "--resume", "--store", "c.sqlite", "--json", "--quiet"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ experiments: 7, optimizerExperiments: 3 });
    const lines = readFileSync(summary.files.experiments, "utf8").trim().split("\n");
    expect(lines[0]).toBe("experiment,phase,tau,T2,conc,yield,objective");
    const rows = lines.slice(1).map((l) => l.split(","));
    expect(rows.map((x) => x[1])).toEqual(["init", "init", "init", "init", "optimizer", "optimizer", "exploit"]);
    for (const [, , tau, T2, conc, y] of rows.map((x) => x.map(Number))) {
      expect(feasible({ tau, T2, conc })).toBe(true);
      // Noise 0: the recorded yield is the oracle's (the data file's rows were written to 3 decimals).
      expect(y).toBeCloseTo(truth({ tau, T2, conc }), 2);
    }
    expect(summary.best.objective).toBe(Math.max(...rows.map((x) => Number(x[5]))));
    expect(summary.best.plqy).toBeUndefined();
    // The recommendation: a feasible condition, its predicted yield inside the model's interval.
    expect(summary.recommendation.lower).toBeLessThanOrEqual(summary.recommendation.mean);
    expect(summary.recommendation.mean).toBeLessThanOrEqual(summary.recommendation.upper);
    expect(feasible(summary.recommendation.condition)).toBe(true);

    // campaign export: the same one experiments.csv; the report: the problem's names and units, no PLQY, no twin figures.
    const ex = await sdfl(["campaign", "export", "--store", "c.sqlite", "--out", "exp", "--json"], dir);
    expect(ex.code).toBe(0);
    expect(readFileSync(JSON.parse(ex.stdout).experiments, "utf8")).toBe(readFileSync(summary.files.experiments, "utf8"));
    const html = readFileSync(summary.files.report, "utf8");
    expect(html).toMatch(/tau \(s\)/);
    expect(html).toMatch(/T2 \(degC\)/);
    expect(html).toMatch(/best yield \(%\)/);
    expect(html).not.toMatch(/PLQY|Abs300|SHAP summary|parity plot/i);
  });

  it("campaign on a minimize problem: the recommendation is printed as the predicted objective, not its negation", async () => {
    const dir = setup();
    const min = { ...oracle.problem, objective: { outcome: "yield", goal: "minimize" } };
    writeFileSync(join(dir, "min.json"), JSON.stringify(min));
    const ORACLE = resolve(ROOT, "test/fixtures/threeInputOracle.mjs");
    const args = ["campaign", "--lab", ORACLE, "--problem", "min.json", "--init", "lhs:5", "--budget", "2", "--noise", "0", "--store", "m.sqlite"];
    const r = await sdfl([...args, "--json", "--quiet"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const measured = readFileSync(s.files.experiments, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => Number(l.split(",").pop()));
    // The best is the smallest yield; the model's predicted minimum is near it, not near its negative.
    expect(s.best.objective).toBe(Math.min(...measured));
    const rec = s.recommendation;
    expect(Math.abs(rec.mean - s.best.objective)).toBeLessThan(Math.abs(rec.mean + s.best.objective));
    expect(rec.lower).toBeLessThanOrEqual(rec.mean);
    expect(rec.upper).toBeGreaterThanOrEqual(rec.mean);
    // The posterior-mean minimum (observed points are candidates) is at most the model's mean at the best reading, which the GP
    // fits closely at noise 0: a negated utility would be about -best instead.
    expect(rec.mean).toBeLessThanOrEqual(s.best.objective + 0.05 * (Math.max(...measured) - Math.min(...measured)));
  });

  it("--problem on a reactor lab narrows the paper's problem (bounds, a fixed input); other inputs, wider bounds or data outside are refused", async () => {
    const dir = setup();
    const shown = await sdfl(["problem", "show"], dir);
    const paper = JSON.parse(shown.stdout);
    const narrow = structuredClone(paper);
    narrow.name = "narrow";
    narrow.inputs[0].bounds = [140, 170];
    narrow.inputs[2] = { name: "ZnI2", unit: "uL/min", fixed: 100 };
    writeFileSync(join(dir, "narrow.json"), JSON.stringify(narrow));
    const wide = structuredClone(paper);
    wide.inputs[0].bounds = [100, 180];
    writeFileSync(join(dir, "wide.json"), JSON.stringify(wide));
    const lab = ["campaign", "--lab", "branin-reactor5d", "--noise", "0"];

    const r = await sdfl([...lab, "--problem", "narrow.json", "--init", "lhs:4", "--budget", "2", "--store", "n.sqlite", "--json", "--quiet"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const rows = readFileSync(s.files.inputs, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",").map(Number));
    expect(rows).toHaveLength(6);
    for (const [T, , ZnI2] of rows) {
      expect(T).toBeGreaterThanOrEqual(140);
      expect(T).toBeLessThanOrEqual(170);
      expect(ZnI2).toBe(100);
    }

    const w = await sdfl([...lab, "--problem", "wide.json", "--store", "w.sqlite"], dir);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/the bounds of T \(100 to 180 degC\) reach beyond the reactor's/);
    const o = await sdfl([...lab, "--problem", "problem.json", "--store", "w.sqlite"], dir);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/its inputs are tau, T2, conc, not the reactor's T, CuI, ZnI2, CsOA, ODE.*--lab FILE\.mjs/s);
    const d = await sdfl(["campaign", "--lab", "sim", "--twin", "chem1", "--problem", "narrow.json", "--data", "chem3", "--store", "w.sqlite"], dir);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/60 of 60 initial rows lie outside problem "narrow"/);
    expect(existsSync(join(dir, "w.sqlite"))).toBe(false);
  });

  it("a failing oracle module stops the campaign as the module's fault (no internal error); the fixed module resumes it", async () => {
    const dir = setup();
    const module = (body: string) =>
      writeFileSync(
        join(dir, "flaky.mjs"),
        `export default { problem: { name: "one", inputs: [{ name: "x", unit: "", bounds: [0, 1] }] }, evaluate: (cs) => ${body} };\n`,
      );
    module(`{ throw new Error("sensor offline"); }`);
    const args = ["campaign", "--lab", "flaky.mjs", "--init", "lhs:3", "--budget", "1", "--noise", "0", "--store", "f.sqlite"];
    const failed = await sdfl(args, dir);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/error: oracle module .*flaky\.mjs: evaluate threw for \{"x":[\d.]+\}: sensor offline/);
    expect(failed.stderr).not.toMatch(/internal error/);
    module(`cs.map((c) => 1 - (c.x - 0.3) ** 2)`);
    const r = await sdfl(["campaign", "--resume", "--store", "f.sqlite", "--json", "--quiet"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ experiments: 4, optimizerExperiments: 1 });
  });

  it("bench --oracle <module>: the module's problem and known optimum, regret against it", async () => {
    const dir = setup();
    const ORACLE = resolve(ROOT, "test/fixtures/threeInputOracle.mjs");
    const args = ["--strategy", "random", "--seeds", "2", "--budget", "2", "--init", "lhs:4", "--quick", "--workers", "0", "--json", "--quiet"];
    const r = await sdfl(["bench", "--oracle", ORACLE, ...args, "--out", "b"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.oracle).toEqual({ name: "three-inputs", goal: "maximize", max: 80 });
    const results = JSON.parse(readFileSync(out.files.results, "utf8"));
    expect(results.oracle.inputs).toEqual(["tau", "T2", "conc"]);
    for (const run of results.strategies.random.runs) {
      expect(run.proposals.every((x: number[]) => x.length === 3 && feasible({ tau: x[0], T2: x[1], conc: x[2] }))).toBe(true);
      expect(run.bestTrue.every((v: number) => v <= 80)).toBe(true);
    }
    expect(out.summary[0].finalMedianRegret).toBeCloseTo(80 - out.summary[0].finalMedian, 9);

    // Branin at its own dimension: minimised, regret against the published minimum 0.397887.
    const b = await sdfl(["bench", "--oracle", "branin", ...args, "--out", "br"], dir);
    expect(b.stderr).toBe("");
    expect(b.code).toBe(0);
    const bo = JSON.parse(b.stdout);
    expect(bo.oracle.goal).toBe("minimize");
    expect(bo.oracle.max).toBeCloseTo(0.397887, 6);
    const br = JSON.parse(readFileSync(bo.files.results, "utf8"));
    for (const run of br.strategies.random.runs) expect(run.proposals.every((x: number[]) => x.length === 2)).toBe(true);
    expect(bo.summary[0].finalMedianRegret).toBeGreaterThanOrEqual(0);
    expect(bo.summary[0].finalMedianRegret).toBeCloseTo(bo.summary[0].finalMedian - 0.39788735772973816, 9);
    expect(bo.summary[0].finalPercentOfMax).toBeUndefined();

    // A missing module is named.
    const m = await sdfl(["bench", "--oracle", "nope.mjs", ...args, "--out", "nm"], dir);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/oracle module nope\.mjs: file not found/);
  });
});
