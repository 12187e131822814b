/**
 * ENN training and twin prediction speed.
 *   node dist/benchmarks/train.js [--quick] [--schedule fast|reference|both] [--seeds N] [--workers N] [--chem chem1,chem2,chem3]
 * Trains the 20-member ensemble per chemistry and schedule and reports wall-clock seconds,
 * member-epochs, ms per member-epoch, and R^2 (train and validation rows, Abs300nm, PLA,
 * PLQY proxy); then the published Chem1 twin's prediction throughput (points/s through
 * all 20 members) on the JavaScript and TensorFlow.js paths.
 * --quick: Chem3, fast schedule, one seed, a short prediction run (well under a minute).
 * Prints one JSON object and writes benchmarks/results/train.json (train.quick.json with --quick).
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { resultHead, writeResult } from "./resultFile.js";
import { Rng } from "../src/core/rng.js";
import { initBackend } from "../src/twin/backend.js";
import { CascadeEnsembleTwin } from "../src/twin/cascadeEnsemble.js";
import { findDataRoot, resolveDatasetDir } from "../src/twin/dataPaths.js";
import { loadDataset } from "../src/twin/dataset.js";
import { accuracyReport } from "../src/twin/accuracy.js";
import { trainEnsemble } from "../src/twin/enn/trainEnsemble.js";
import { scheduleByName } from "../src/twin/enn/schedule.js";
import { defaultWorkers } from "../src/twin/enn/memberPool.js";
import { loadPublishedTwin } from "../src/twin/publishedTwin.js";

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const quick = argv.includes("--quick");
const scheduleArg = arg("schedule") ?? (quick ? "fast" : "both");
const schedules = scheduleArg === "both" ? ["fast", "reference"] : [scheduleArg];
const seeds = Number(arg("seeds") ?? 1);
const workers = Number(arg("workers") ?? defaultWorkers());
const chems = (arg("chem") ?? (quick ? "chem3" : "chem1,chem2,chem3")).split(",");

/** Comparison numbers from the issue / data README (same 2-core machine class). */
const PYTORCH = {
  chem3: { secondsTwoProcesses: 10, secondsOneProcess: 17, memberEpochs: 4534, msPerMemberEpoch: 3.8 },
  publishedValidationPlqyR2: { chem1: 0.937, chem2: 0.983, chem3: 0.995 },
};

const backend = await initBackend();
const load = loadavg()[0];
const runs: Record<string, unknown>[] = [];
for (const chem of chems) {
  const ds = loadDataset(resolveDatasetDir(chem));
  for (const name of schedules) {
    for (let seed = 0; seed < seeds; seed++) {
      const schedule = scheduleByName(name);
      const r = await trainEnsemble(ds, { members: 20, seed, schedule, workers });
      const rep = accuracyReport(new CascadeEnsembleTwin(r.spec), ds, r.info.split);
      const pick = (a = rep.all) => ({
        plqy_r2: a.plqy_r2,
        abs_r2: a.abs_r2,
        pla_r2: a.pla_r2,
        within1Std: a.calibration.within1Std,
        within2Std: a.calibration.within2Std,
        nll: a.calibration.nll,
      });
      const run = {
        chemistry: chem,
        schedule: name,
        seed,
        workers,
        seconds: r.info.seconds,
        memberEpochs: r.info.memberEpochs,
        msPerMemberEpoch: (1000 * r.info.seconds) / r.info.memberEpochs,
        meanEpochsPerMember: r.info.memberEpochs / 20,
        train: pick(rep.train),
        validation: pick(rep.validation),
      };
      runs.push(run);
      process.stderr.write(
        `${chem} ${name} seed ${seed}: ${run.seconds.toFixed(2)} s, ${run.memberEpochs} member-epochs, ${run.msPerMemberEpoch.toFixed(2)} ms each, validation PLQY R^2 ${run.validation.plqy_r2.toFixed(4)}\n`,
      );
    }
  }
}

// Prediction throughput of the published Chem1 twin (20 members).
const twin = loadPublishedTwin(join(findDataRoot(), "twins/chem1.json"));
const rng = new Rng(1);
const points = (n: number) => Array.from({ length: n }, () => twin.inputBounds.map(([lo, hi]) => rng.range(lo, hi)));
const predict: Record<string, unknown>[] = [];
for (const batch of quick ? [1, 64, 2048] : [1, 16, 64, 512, 10000]) {
  for (const mode of ["js", "tf"] as const) {
    twin.mode = mode;
    const P = points(batch);
    twin.predict(P);
    const reps = Math.max(1, Math.round((quick ? 4000 : 20000) / batch));
    const t0 = performance.now();
    for (let k = 0; k < reps; k++) twin.predict(P);
    const sec = (performance.now() - t0) / 1000;
    predict.push({ batch, path: mode, pointsPerSecond: (reps * batch) / sec });
  }
}
twin.dispose();

const result = {
  ...resultHead("train", quick, load),
  backend: backend.name,
  trainer: "js-float64",
  runs,
  predict,
  pytorch: PYTORCH,
};
writeResult(result, quick ? "train.quick.json" : "train.json");
