/**
 * Does a twin of a problem given as data (src/twin/generic: one single-output ensemble per
 * outcome, objective by the problem's formula per member) predict as well as the paper's
 * cascade (one ensemble of two-output networks, PLQY proxy per member)? Both are trained
 * on the same rows with the same members, schedule and seed, and scored by K-fold outer
 * cross-validation on the same folds (foldsOf): out-of-fold R^2 of Abs300nm, PLA and the
 * PLQY proxy, and coverage (within 1 and 2 std) and NLL of the PLQY predictive std.
 * The problem twin uses the built-in problem (PAPER_PROBLEM) exactly as a problem file
 * would give it.
 *   node dist/benchmarks/problem-twin.js [--quick] [--chem chem1,chem2,chem3] [--folds K] [--members N] [--seed S] [--workers N]
 * --quick: Chem3, 3 folds, 20 members of 60 epochs (what CI runs).
 * Prints one JSON object and writes benchmarks/results/problem-twin.json (problem-twin.quick.json with --quick).
 */
import { loadavg } from "node:os";
import { resultHead, writeResult } from "./resultFile.js";
import type { ProblemRow } from "../src/bo/problem/problemCsv.js";
import { crossValidate } from "../src/twin/crossValidation.js";
import { resolveDatasetDir } from "../src/twin/dataPaths.js";
import { loadDataset } from "../src/twin/dataset.js";
import { defaultWorkers } from "../src/twin/enn/memberPool.js";
import { DEFAULT_SCHEDULE } from "../src/twin/enn/schedule.js";
import { crossValidateProblemTwin } from "../src/twin/generic/crossValidateProblemTwin.js";
import { INPUT_NAMES, PAPER_PROBLEM } from "../src/twin/space.js";

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const quick = argv.includes("--quick");
const chems = (arg("chem") ?? (quick ? "chem3" : "chem1,chem2,chem3")).split(",");
const k = Number(arg("folds") ?? (quick ? 3 : 6));
const members = Number(arg("members") ?? 20);
const seed = Number(arg("seed") ?? 0);
const workers = Number(arg("workers") ?? defaultWorkers());
const schedule = quick ? { ...DEFAULT_SCHEDULE, maxEpochs: 60 } : DEFAULT_SCHEDULE;
const load = loadavg()[0];

const results: Record<string, unknown>[] = [];
for (const chem of chems) {
  const ds = loadDataset(resolveDatasetDir(chem));
  const n = ds.X.length;
  const rows: ProblemRow[] = ds.X.map((x, i) => ({
    line: i + 2,
    condition: Object.fromEntries(INPUT_NAMES.map((name, j) => [name, x[j]])),
    outcomes: { abs300: ds.abs[i], pla: ds.pla[i] },
  }));
  // The problem twin on the folds crossValidate deals for this seed.
  const pcv = await crossValidateProblemTwin(PAPER_PROBLEM, rows, k, { members, seed, schedule, workers }, (f) =>
    process.stderr.write(`${chem} problem twin: fold ${f + 1}/${k}\n`),
  );
  const a = pcv.accuracy;
  const problemTwin = {
    abs_r2: a.abs300.r2,
    pla_r2: a.pla.r2,
    plqy_r2: a.objective.r2,
    within1Std: a.objective.calibration.within1Std,
    within2Std: a.objective.calibration.within2Std,
    nll: a.objective.calibration.nll,
    rawWithin1Std: a.objective.rawCalibration.within1Std,
    seconds: pcv.seconds,
  };
  // The paper's cascade on the same folds.
  const t1 = performance.now();
  const cv = await crossValidate(ds, k, { members, seed, schedule, workers }, (f) => process.stderr.write(`${chem} cascade: fold ${f + 1}/${k}\n`));
  const cascade = {
    abs_r2: cv.abs_r2,
    pla_r2: cv.pla_r2,
    plqy_r2: cv.plqy_r2,
    within1Std: cv.calibration.within1Std,
    within2Std: cv.calibration.within2Std,
    nll: cv.calibration.nll,
    rawWithin1Std: cv.rawCalibration.within1Std,
    seconds: (performance.now() - t1) / 1000,
  };
  results.push({ chemistry: chem, rows: n, problemTwin, cascade });
  const line = (name: string, r: typeof cascade) =>
    `${chem} ${name}: OOF R^2 PLQY ${r.plqy_r2.toFixed(3)} (Abs ${r.abs_r2.toFixed(3)}, PLA ${r.pla_r2.toFixed(3)}); PLQY within 1/2 std ${(100 * r.within1Std).toFixed(0)}/${(100 * r.within2Std).toFixed(0)} %, NLL ${r.nll.toFixed(2)}; ${r.seconds.toFixed(1)} s\n`;
  process.stderr.write(line("problem twin", problemTwin) + line("cascade     ", cascade));
}

const result = {
  ...resultHead("problem-twin", quick, load),
  folds: k,
  members,
  seed,
  workers,
  schedule,
  results,
};
writeResult(result, quick ? "problem-twin.quick.json" : "problem-twin.json");
