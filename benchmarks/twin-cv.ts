/**
 * Out-of-fold accuracy and calibration of ENN training schedules.
 *   node dist/benchmarks/twin-cv.js [--quick] [--schedules a,b,...] [--seeds N] [--first-seed S] [--folds K] [--members N] [--workers N] [--chem chem1,chem2,chem3] [--fold-order shuffled|file]
 * Per chemistry, schedule and seed: K-fold outer cross-validation (default 6: train on 50
 * rows, predict the 10 held out, pooled over the 60), reporting out-of-fold R^2 of
 * Abs300nm, PLA and PLQY, coverage of the PLQY predictive std (the twin's calibrated
 * uncertainty) and of the raw member spread at 1 and 2 std, NLL, and training seconds.
 * Then one training on all rows of Chem3 per schedule (the time a user waits).
 * Schedules: the named ones (src/twin/enn/schedule.ts), the candidates below, or either with
 * overrides: "crossfit+weightDecay=0.3+maxEpochs=300" (a fixed-budget base keeps patience =
 * maxEpochs). --dump FILE writes every out-of-fold and out-of-bag residual (calibration studies).
 * --fold-order file: contiguous folds in file order (unshuffled k-fold; the LHS files are sorted by
 * temperature, so each fold is a temperature band and the seed only changes training).
 * --quick: Chem3, the default schedule, one seed, 10 members (what CI runs).
 * Prints one JSON object and writes benchmarks/results/twin-cv.json (twin-cv.quick.json with --quick).
 */
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { basename } from "node:path";
import { resultHead, writeResult } from "./resultFile.js";
import { resolveDatasetDir } from "../src/twin/dataPaths.js";
import { loadDataset } from "../src/twin/dataset.js";
import { crossValidate, type FoldOrder } from "../src/twin/crossValidation.js";
import { trainEnsemble } from "../src/twin/enn/trainEnsemble.js";
import { DEFAULT_SCHEDULE, FAST_SCHEDULE, SCHEDULES, type TrainSchedule } from "../src/twin/enn/schedule.js";
import { defaultWorkers } from "../src/twin/enn/memberPool.js";

/** Candidate schedules measured besides the named ones (see benchmarks/README.md). */
const CANDIDATES: Record<string, TrainSchedule> = {
  "fast-last": { ...FAST_SCHEDULE, name: "fast-last", keep: "last" },
  "fast-last-p100": { ...FAST_SCHEDULE, name: "fast-last-p100", keep: "last", patience: 100 },
  "fast-member": { ...FAST_SCHEDULE, name: "fast-member", split: "member" },
  "fast-member-last": { ...FAST_SCHEDULE, name: "fast-member-last", split: "member", keep: "last" },
  "fast-bootstrap": { ...FAST_SCHEDULE, name: "fast-bootstrap", split: "bootstrap" },
  "fast-bootstrap-last": { ...FAST_SCHEDULE, name: "fast-bootstrap-last", split: "bootstrap", keep: "last" },
  "fast-none-400": { ...FAST_SCHEDULE, name: "fast-none-400", split: "none", keep: "last", patience: 1e9, maxEpochs: 400 },
  "fast-member-200": { ...FAST_SCHEDULE, name: "fast-member-200", split: "member", keep: "last", patience: 1e9, maxEpochs: 200 },
  "fast-folds5-200": { ...FAST_SCHEDULE, name: "fast-folds5-200", split: "folds", folds: 5, keep: "last", patience: 1e9, maxEpochs: 200 },
  "fast-member-wd": { ...FAST_SCHEDULE, name: "fast-member-wd", split: "member", weightDecay: 0.3 },
  "mb16-member-last": { ...FAST_SCHEDULE, name: "mb16-member-last", batchSize: 16, learningRate: 2e-3, patience: 50, split: "member", keep: "last" },
};

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const quick = argv.includes("--quick");
const names = (arg("schedules") ?? (quick ? DEFAULT_SCHEDULE.name : Object.keys(SCHEDULES).join(","))).split(",");
const seeds = Number(arg("seeds") ?? 1);
const firstSeed = Number(arg("first-seed") ?? 0);
const k = Number(arg("folds") ?? 6);
const members = Number(arg("members") ?? (quick ? 10 : 20));
const workers = Number(arg("workers") ?? defaultWorkers());
const chems = (arg("chem") ?? (quick ? "chem3" : "chem1,chem2,chem3")).split(",");
const all: Record<string, TrainSchedule> = { ...CANDIDATES, ...SCHEDULES };
for (const n of names) if (!all[n]) all[n] = withOverrides(n);
const dumpFile = arg("dump");
const foldOrder = (arg("fold-order") ?? "shuffled") as FoldOrder;
if (foldOrder !== "shuffled" && foldOrder !== "file") throw new Error(`--fold-order must be shuffled or file, got ${foldOrder}`);
const dump: Record<string, unknown>[] = [];

/** "base+key=value+..." -> the base schedule with those fields replaced. */
function withOverrides(spec: string): TrainSchedule {
  const [baseName, ...sets] = spec.split("+");
  const base = all[baseName];
  if (!base) throw new Error(`unknown schedule ${baseName}; known: ${Object.keys(all).join(", ")}`);
  const s: Record<string, unknown> = { ...base, name: spec };
  for (const kv of sets) {
    const [key, value] = kv.split("=");
    if (
      !(key in base) &&
      !["weightDecay", "folds", "keep", "split", "depth", "width", "features", "bands", "inputNoise", "calibrationVariance", "slabs", "slabLayout"].includes(
        key,
      )
    )
      throw new Error(`unknown schedule field ${key}`);
    // Ranges as lo-hi ("depth=3-5").
    s[key] = /^\d+-\d+$/.test(value) ? value.split("-").map(Number) : Number.isFinite(Number(value)) ? Number(value) : value;
  }
  if (sets.some((kv) => kv.startsWith("maxEpochs=")) && !sets.some((kv) => kv.startsWith("patience=")) && base.patience >= base.maxEpochs)
    s.patience = s.maxEpochs;
  return s as unknown as TrainSchedule;
}

const load = loadavg()[0];
const runs: Record<string, unknown>[] = [];
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
for (const chem of chems) {
  const ds = loadDataset(resolveDatasetDir(chem));
  for (const name of names) {
    for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
      const cv = await crossValidate(ds, k, { members, seed, schedule: all[name], workers }, undefined, foldOrder);
      const run = {
        chemistry: chem,
        schedule: name,
        seed,
        folds: k,
        foldOrder,
        abs_r2: cv.abs_r2,
        pla_r2: cv.pla_r2,
        plqy_r2: cv.plqy_r2,
        within1Std: cv.calibration.within1Std,
        within2Std: cv.calibration.within2Std,
        nll: cv.calibration.nll,
        rawWithin1Std: cv.rawCalibration.within1Std,
        rawWithin2Std: cv.rawCalibration.within2Std,
        rawNll: cv.rawCalibration.nll,
        meanFoldSeconds: mean(cv.foldSeconds),
        seconds: cv.seconds,
      };
      runs.push(run);
      if (dumpFile) {
        dump.push({ chemistry: chem, schedule: name, seed, oof: cv.oof, foldOutOfBag: cv.foldOutOfBag });
        writeFileSync(dumpFile, JSON.stringify(dump) + "\n");
      }
      process.stderr.write(
        `${chem} ${name} seed ${seed}: OOF R^2 PLQY ${run.plqy_r2.toFixed(3)} (Abs ${run.abs_r2.toFixed(3)}, PLA ${run.pla_r2.toFixed(3)}); ` +
          `within 1/2 std ${(100 * run.within1Std).toFixed(0)}/${(100 * run.within2Std).toFixed(0)} % (raw ${(100 * run.rawWithin1Std).toFixed(0)}/${(100 * run.rawWithin2Std).toFixed(0)} %), ` +
          `NLL ${run.nll.toFixed(2)}; ${run.meanFoldSeconds.toFixed(2)} s per fold\n`,
      );
    }
  }
}

// The time a user waits: one ensemble on all 60 Chem3 rows per schedule.
const fullTraining: Record<string, unknown>[] = [];
const chem3 = loadDataset(resolveDatasetDir("chem3"));
for (const name of argv.includes("--no-full") ? [] : names) {
  const r = await trainEnsemble(chem3, { members, seed: 0, schedule: all[name], workers });
  fullTraining.push({ schedule: name, seconds: r.info.seconds, memberEpochs: r.info.memberEpochs });
  process.stderr.write(`chem3 all rows, ${name}: ${r.info.seconds.toFixed(2)} s, ${r.info.memberEpochs} member-epochs\n`);
}

// Mean over seeds per chemistry and schedule.
const summary: Record<string, unknown>[] = [];
for (const chem of chems)
  for (const name of names) {
    const rs = runs.filter((r) => r.chemistry === chem && r.schedule === name) as Record<string, number>[];
    const m = (key: string) => mean(rs.map((r) => r[key]));
    summary.push({
      chemistry: chem,
      schedule: name,
      seeds: rs.length,
      plqy_r2: m("plqy_r2"),
      abs_r2: m("abs_r2"),
      pla_r2: m("pla_r2"),
      within1Std: m("within1Std"),
      within2Std: m("within2Std"),
      nll: m("nll"),
      rawWithin1Std: m("rawWithin1Std"),
      rawWithin2Std: m("rawWithin2Std"),
      meanFoldSeconds: m("meanFoldSeconds"),
      minPlqyR2: Math.min(...rs.map((r) => r.plqy_r2)),
    });
  }

const result = {
  ...resultHead("twin-cv", quick, load),
  folds: k,
  foldOrder,
  members,
  workers,
  schedules: Object.fromEntries(names.map((n) => [n, all[n]])),
  summary,
  fullTraining,
  runs,
};
writeResult(result, quick ? "twin-cv.quick.json" : basename(arg("out") ?? "twin-cv.json"));
