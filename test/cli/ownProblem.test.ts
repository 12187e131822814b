import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runProcess } from "../helpers/runProcess.js";
import oracle from "../fixtures/threeInputOracle.mjs";

// A problem that is not the paper's, end to end through the compiled CLI: three inputs with a
// linear constraint, data in one CSV whose columns have other names, then ask/tell by hand
// (suggest / observe). The fixture oracle module gives the problem and the true yield.
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
