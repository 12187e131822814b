/**
 * Paper check of the SHAP analysis (paper Fig. 6): explains twins on their chemistry's
 * 60 LHS rows (background = the same rows) and compares with what the paper reports:
 * Chem3 top three CsOA, T, CuI; PLQY rising as CsOA falls and as T, CuI and ZnI2 rise;
 * ODE of little importance; Chem1 ZnI2 of little importance. Also times explaining 60
 * points (exact SHAP, 32 coalitions, one batched twin call).
 *
 *   node dist/benchmarks/shap-paper-check.js [--quick] [--train-seeds 1,2,3] [--twin chemN=FILE ...]
 *
 * Explains the published Chem1 twin, then project twins of all three chemistries trained
 * here (20 members, the `fast` schedule of `sdfl twin train`, one per seed of
 * --train-seeds, default 1,2,3), and any --twin file (`sdfl twin train --data chemN
 * --out FILE`). --quick: published twin only, 12 background rows, no training.
 * Writes benchmarks/results/shap-paper-check.json (quick: shap-paper-check.quick.json).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadTwin } from "../src/twin/loadTwin.js";
import { loadDataset } from "../src/twin/dataset.js";
import { resolveDatasetDir, resolveTwinPath } from "../src/twin/dataPaths.js";
import { explainTwin, type OutputExplanation } from "../src/twin/insight/explainTwin.js";
import { initBackend } from "../src/twin/backend.js";
import { trainEnsemble } from "../src/twin/enn/trainEnsemble.js";
import { CascadeEnsembleTwin } from "../src/twin/cascadeEnsemble.js";
import type { Twin } from "../src/twin/twin.js";

/** A twin to explain: a file, or a project twin trained here with `seed`. */
interface Job {
  label: string;
  chemistry: string;
  file?: string;
  seed?: number;
}

/** Load the twin of a job (training it first for a seed job); returns it and the training time. */
async function jobTwin(job: Job): Promise<{ twin: Twin; trainSeconds?: number; validationR2?: number }> {
  if (job.file) return { twin: await loadTwin(job.file) };
  const ds = loadDataset(resolveDatasetDir(job.chemistry));
  const trained = await trainEnsemble(ds, { members: 20, seed: job.seed, workers: 1 });
  const twin = new CascadeEnsembleTwin({ ...trained.spec, source: `shap-paper-check: trained on ${job.chemistry}, seed ${job.seed}` });
  const val = trained.info.split.validation;
  const p = twin.predict(val.map((r) => ds.X[r]));
  const y = val.map((r) => ds.plqy[r]);
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  const ssr = y.reduce((s, v, i) => s + (v - p.plqyMean[i]) ** 2, 0);
  const sst = y.reduce((s, v) => s + (v - my) ** 2, 0);
  return { twin, trainSeconds: trained.info.seconds, validationR2: 1 - ssr / sst };
}

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
    claim: text,
    agrees: o.direction[n] === want,
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
  const seedArg = args.indexOf("--train-seeds");
  const seeds = seedArg >= 0 ? (args[seedArg + 1] ?? "").split(",").filter(Boolean).map(Number) : quick ? [] : [1, 2, 3];
  for (const chem of ["chem1", "chem2", "chem3"]) for (const seed of seeds) jobs.push({ label: `project ${chem} seed ${seed}`, chemistry: chem, seed });
  args.forEach((a, i) => {
    if (a !== "--twin") return;
    const [chem, file] = (args[i + 1] ?? "").split("=");
    if (!chem || !file) throw new Error("--twin takes chemN=FILE");
    jobs.push({ label: `project ${chem} ${file}`, chemistry: chem, file: resolve(file) });
  });
  const backend = await initBackend().catch(() => undefined);
  const results = [];
  for (const job of jobs) {
    const ds = loadDataset(resolveDatasetDir(job.chemistry));
    const { twin, trainSeconds, validationR2 } = await jobTwin(job);
    const e = explainTwin(twin, { background: ds.X, points: ds.X, maxBackground: quick ? 12 : undefined, seed: 1 });
    twin.dispose();
    const p = e.outputs.PLQY;
    const checks = paperChecks(job.chemistry, p);
    const perOutput = Object.fromEntries(
      (["PLQY", "Abs300nm", "PLA"] as const).map((k) => {
        const o = e.outputs[k];
        return [k, { ranking: o.ranking, meanAbs: o.meanAbs, share: shares(o), direction: o.direction, correlation: o.correlation, base: o.base }];
      }),
    );
    results.push({
      twin: job.label,
      file: job.file,
      seed: job.seed,
      trainSeconds,
      validationPlqyR2: validationR2,
      chemistry: job.chemistry,
      points: e.X.length,
      background: e.background.length,
      timing: { ...e.timing, evaluationsPerSecond: e.timing.evaluations / (e.timing.predictMs / 1000) },
      outputs: perOutput,
      paperChecks: checks,
    });
    console.log(
      `${job.label}${trainSeconds !== undefined ? ` (trained in ${trainSeconds.toFixed(1)} s, validation PLQY R2 ${validationR2!.toFixed(3)})` : ""}: ${e.X.length} points x ${e.background.length} background rows, ${e.timing.evaluations} twin evaluations, ` +
        `${(e.timing.totalMs / 1000).toFixed(2)} s (predict ${(e.timing.predictMs / 1000).toFixed(2)} s)`,
    );
    console.log(
      `  PLQY ranking ${p.ranking.map((n) => `${n} ${(100 * shares(p)[n]).toFixed(1)}% ${p.direction[n] > 0 ? "+" : p.direction[n] < 0 ? "-" : "0"}`).join(" > ")}`,
    );
    for (const c of checks) console.log(`  ${c.agrees ? "agrees   " : "DISAGREES"} ${c.claim}: ${c.evidence}`);
  }
  // Results go under the working folder, like the other benchmarks.
  const root = process.cwd();
  const outDir = join(root, "benchmarks", "results");
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, quick ? "shap-paper-check.quick.json" : "shap-paper-check.json");
  // Per chemistry and claim: how many of the twins agree.
  const summary: Record<string, Record<string, string>> = {};
  for (const r of results) {
    for (const c of r.paperChecks) {
      const key = r.twin.startsWith("published") ? "published chem1" : `project ${r.chemistry}`;
      summary[key] ??= {};
      const [yes, all] = (summary[key][c.claim] ?? "0/0").split("/").map(Number);
      summary[key][c.claim] = `${yes + (c.agrees ? 1 : 0)}/${all + 1}`;
    }
  }
  console.log("agreement (twins agreeing / twins):");
  for (const [k, v] of Object.entries(summary)) for (const [claim, n] of Object.entries(v)) console.log(`  ${k}: ${claim}: ${n}`);
  writeFileSync(
    file,
    JSON.stringify({ generatedAt: new Date().toISOString(), quick, node: process.version, backend: backend?.name, summary, results }, null, 1),
  );
  console.log(`wrote ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
