/**
 * Paper check of the SHAP analysis (paper Fig. 6): explains twins on their chemistry's
 * 60 LHS rows (background = the same rows) and compares with what the paper reports:
 * Chem3 top three CsOA, T, CuI; PLQY rising as CsOA falls and as T, CuI and ZnI2 rise;
 * ODE of little importance; Chem1 ZnI2 of little importance. Also times explaining 60
 * points (exact SHAP, 32 coalitions, one batched twin call).
 *
 *   node dist/benchmarks/shap-paper-check.js [--quick] [--twin chemN=FILE ...]
 *
 * Without --twin it explains the published Chem1 twin; each --twin adds a project twin
 * (from `sdfl twin train --data chemN --out FILE`). --quick uses 12 background rows.
 * Writes benchmarks/results/shap-paper-check.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadTwin } from "../src/twin/loadTwin.js";
import { loadDataset } from "../src/twin/dataset.js";
import { resolveDatasetDir, resolveTwinPath } from "../src/twin/dataPaths.js";
import { explainTwin, type OutputExplanation } from "../src/twin/insight/explainTwin.js";

interface Job { label: string; chemistry: string; file: string }

/** Share of each input in the total mean |SHAP| (sums to 1). */
function shares(o: OutputExplanation): Record<string, number> {
  const total = Object.values(o.meanAbs).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(o.meanAbs).map(([k, v]) => [k, v / total]));
}

/** "Little importance": in the bottom two of five and under 10 % of the total mean |SHAP|. */
function little(o: OutputExplanation, name: string): boolean {
  return o.ranking.indexOf(name) >= 3 && shares(o)[name] < 0.1;
}

/** The paper's statements for a chemistry, each with the twin's verdict. */
function paperChecks(chemistry: string, o: OutputExplanation): { claim: string; agrees: boolean; evidence: string }[] {
  const sh = shares(o);
  const pct = (n: string) => `${n} rank ${o.ranking.indexOf(n) + 1}, ${(100 * sh[n]).toFixed(1)} % of total mean |SHAP|`;
  const dir = (n: string, want: 1 | -1, text: string) => ({
    claim: text, agrees: o.direction[n] === want,
    evidence: `corr(${n}, SHAP ${n}) = ${o.correlation[n].toFixed(3)}`,
  });
  if (chemistry === "chem3") {
    const top = o.ranking.slice(0, 3);
    return [
      { claim: "top three inputs are CsOA, T and CuI", agrees: ["CsOA", "T", "CuI"].every((n) => top.includes(n)), evidence: `top three ${top.join(", ")}` },
      dir("CsOA", -1, "PLQY rises as CsOA falls"),
      dir("T", 1, "PLQY rises with T"),
      dir("CuI", 1, "PLQY rises with CuI"),
      dir("ZnI2", 1, "PLQY rises with ZnI2"),
      { claim: "ODE is of little importance", agrees: little(o, "ODE"), evidence: pct("ODE") },
    ];
  }
  if (chemistry === "chem1") return [{ claim: "ZnI2 is of little importance", agrees: little(o, "ZnI2"), evidence: pct("ZnI2") }];
  return [];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const jobs: Job[] = [{ label: "published chem1", chemistry: "chem1", file: resolveTwinPath("chem1") }];
  args.forEach((a, i) => {
    if (a !== "--twin") return;
    const [chem, file] = (args[i + 1] ?? "").split("=");
    if (!chem || !file) throw new Error("--twin takes chemN=FILE");
    jobs.push({ label: `project ${chem}`, chemistry: chem, file: resolve(file) });
  });
  const results = [];
  for (const job of jobs) {
    const ds = loadDataset(resolveDatasetDir(job.chemistry));
    const twin = await loadTwin(job.file);
    const e = explainTwin(twin, { background: ds.X, points: ds.X, maxBackground: quick ? 12 : undefined, seed: 1 });
    twin.dispose();
    const p = e.outputs.PLQY;
    const checks = paperChecks(job.chemistry, p);
    const perOutput = Object.fromEntries((["PLQY", "Abs300nm", "PLA"] as const).map((k) => {
      const o = e.outputs[k];
      return [k, { ranking: o.ranking, meanAbs: o.meanAbs, share: shares(o), direction: o.direction, correlation: o.correlation, base: o.base }];
    }));
    results.push({
      twin: job.label, file: job.file, chemistry: job.chemistry, points: e.X.length, background: e.background.length,
      timing: { ...e.timing, evaluationsPerSecond: e.timing.evaluations / (e.timing.predictMs / 1000) },
      outputs: perOutput, paperChecks: checks,
    });
    console.log(`${job.label}: ${e.X.length} points x ${e.background.length} background rows, ${e.timing.evaluations} twin evaluations, ` +
      `${(e.timing.totalMs / 1000).toFixed(2)} s (predict ${(e.timing.predictMs / 1000).toFixed(2)} s)`);
    console.log(`  PLQY ranking ${p.ranking.map((n) => `${n} ${(100 * shares(p)[n]).toFixed(1)}% ${p.direction[n] > 0 ? "+" : p.direction[n] < 0 ? "-" : "0"}`).join(" > ")}`);
    for (const c of checks) console.log(`  ${c.agrees ? "agrees   " : "DISAGREES"} ${c.claim}: ${c.evidence}`);
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(here, here.includes(`${"dist"}`) ? "../.." : "..");
  const outDir = join(root, "benchmarks", "results");
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, quick ? "shap-paper-check.quick.json" : "shap-paper-check.json");
  writeFileSync(file, JSON.stringify({ generatedAt: new Date().toISOString(), quick, node: process.version, results }, null, 1));
  console.log(`wrote ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
