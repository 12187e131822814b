import { join, resolve } from "node:path";
import { FormatError, UsageError } from "../../core/errors.js";
import { checkOutputFile, FORCE_OPTION, forced } from "../outputs.js";
import { assertFiniteResult } from "../../core/finite.js";
import { intOpt, numberOpt, stringOpt, type Command, type ParsedOptions } from "../command.js";
import { resolveDatasetDir, resolveTwinPath } from "../../twin/dataPaths.js";
import { loadDataset, warningLines, type Dataset } from "../../twin/dataset.js";
import { loadTwin } from "../../twin/loadTwin.js";
import { accuracyReport, type AccuracyReport, type SetAccuracy } from "../../twin/accuracy.js";
import type { CrossValidation } from "../../twin/crossValidation.js";
import { paritySvg, type ParityGroup } from "../../report/svg/parityPlot.js";
import { formatPredictions, readPredictionInputs } from "../../twin/predictCsv.js";
import { readJsonFile } from "../../twin/publishedTwin.js";
import { isProjectTwin, parseProjectTwin, writeTextFile } from "../../twin/twinFile.js";
import { trainProjectTwin, r2Only, cvSummary } from "../../twin/trainProjectTwin.js";
import { DEFAULT_SCHEDULE, PROBLEM_DEFAULT_SCHEDULE, SCHEDULES, scheduleByName, type TrainSchedule } from "../../twin/enn/schedule.js";
import { crossValidate } from "../../twin/crossValidation.js";
import { calibrationSvg } from "../../report/svg/calibrationPlot.js";
import type { Calibration } from "../../twin/metrics.js";
import type { Twin } from "../../twin/twin.js";
import { loadAnyTwin } from "../../twin/generic/anyTwin.js";
import { evaluateProblemTwinCli, predictProblemTwinCli, trainProblemTwinCli } from "./twinProblem.js";
import { isProblemTwin, parseProblemTwin } from "../../twin/generic/problemTwinFile.js";

/** Options of the twin commands for a problem other than the paper's (docs/twin.md, "Twins of your own problem"). */
const PROBLEM_OPTIONS = {
  problem: { type: "string", arg: "FILE", description: "problem file (JSON, docs/problem.md): a twin of that problem, from one CSV (--data FILE.csv)" },
  columns: { type: "string", arg: "MAP", description: "CSV column names by problem name, e.g. tau=residence_s,yield=Yield (overrides the problem's columns)" },
} as const;

const TRAIN = "twin train";

function scheduleFrom(opts: ParsedOptions): TrainSchedule {
  // Problem twins see their inputs as they are, so the flow-fraction default does not apply to them.
  const name = typeof opts.schedule === "string" ? opts.schedule : opts.problem !== undefined ? PROBLEM_DEFAULT_SCHEDULE.name : DEFAULT_SCHEDULE.name;
  const base = scheduleByName(name);
  return {
    ...base,
    learningRate: numberOpt(opts, "lr", TRAIN, base.learningRate, 1e-7, 1),
    batchSize: intOpt(opts, "batch", TRAIN, base.batchSize, 0, 100000),
    patience: intOpt(opts, "patience", TRAIN, base.patience, 1, 1000000),
    minDelta: numberOpt(opts, "min-delta", TRAIN, base.minDelta, 0, 1),
    maxEpochs: intOpt(opts, "max-epochs", TRAIN, base.maxEpochs, 1, 10000000),
  };
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : String(v));

const pct = (v: number) => `${(100 * v).toFixed(0).padStart(11)} %`;
const accLine = (name: string, n: number, abs: number, pla: number, plqy: number, c: Calibration) =>
  `${name.padEnd(10)} ${String(n).padStart(3)}   ${fmt(abs).padStart(9)} ${fmt(pla).padStart(7)} ${fmt(plqy).padStart(8)}  ${pct(c.within1Std)} ${pct(c.within2Std)}  ${c.nll.toFixed(2)}`;

/**
 * The accuracy table: R^2 per set, and coverage (within 1 and 2 std) and NLL of the PLQY
 * predictive std; a last line per cross-validation with the raw member spread's coverage.
 */
function accuracyLines(rep: AccuracyReport | undefined, cv?: CrossValidation): string {
  const rows: [string, SetAccuracy | undefined][] = rep
    ? [
        ["train", rep.train],
        ["validation", rep.validation],
        ["all rows", rep.all],
      ]
    : [];
  const lines = ["set          n   R2 Abs300  R2 PLA  R2 PLQY  within 1 std  within 2 std  NLL   (PLQY, predictive std)"];
  for (const [name, a] of rows) if (a) lines.push(accLine(name, a.n, a.abs_r2, a.pla_r2, a.plqy_r2, a.calibration));
  if (cv) {
    lines.push(accLine(`${cv.folds}-fold CV`, cv.calibration.n, cv.abs_r2, cv.pla_r2, cv.plqy_r2, cv.calibration));
    const r = cv.rawCalibration;
    lines.push(
      `  (out of fold, member spread alone: ${(100 * r.within1Std).toFixed(0)} % within 1 std, ${(100 * r.within2Std).toFixed(0)} % within 2 std, NLL ${r.nll.toFixed(2)})`,
    );
  }
  return lines.join("\n") + "\n";
}

async function writeCalibrationPlot(file: string, cv: CrossValidation, title: string): Promise<void> {
  const { plqy, mean, memberStd, predStd } = cv.oof;
  writeTextFile(
    file,
    await calibrationSvg(
      plqy,
      mean,
      [
        { name: "predictive std", std: predStd },
        { name: "member spread", std: memberStd },
      ],
      title,
    ),
  );
}

async function writeParity(file: string, twin: Twin, ds: Dataset, split: { train: number[]; validation: number[] } | undefined, title: string): Promise<void> {
  const groups: ParityGroup[] = [];
  const add = (name: string, rows: number[]) => {
    const p = twin.predict(rows.map((r) => ds.X[r]));
    groups.push({ name, measured: rows.map((r) => ds.plqy[r]), predicted: p.plqyMean, std: p.plqyPredStd });
  };
  if (split && split.validation.length > 0) {
    add("train", split.train);
    add("validation", split.validation);
  } else
    add(
      "all rows",
      ds.X.map((_, i) => i),
    );
  writeTextFile(file, await paritySvg(groups, { title, label: "PLQY proxy" }));
}

/** `sdfl twin train`. */
export const trainCommand: Command = {
  path: ["twin", "train"],
  summary: "train an ensemble neural network (ENN) twin on a data set and save it",
  details: `
Trains --members cascade networks (ReLU, random depth and width per member: the
schedule's, 3-5 layers of 20-40 units by default, 8-10 in the original's) on min-max
scaled Abs300nm and PLA on the schedule's rows (the default sees temperature, total
precursor flow and each flow's fraction of it instead of the raw flows), fits the
predictive uncertainty (scaled member variance + constant or relative measurement noise)
on rows members did not train on, reports R^2 and calibration, and writes a versioned JSON twin file. With --cv K it
also runs K-fold outer cross-validation (out-of-fold R^2, coverage at 1 and 2 std, NLL)
and refits the predictive uncertainty on the out-of-fold residuals. Schedules
(default ${DEFAULT_SCHEDULE.name}): ${Object.values(SCHEDULES)
    .map(
      (s) =>
        `${s.name} (lr ${s.learningRate}, batch ${s.batchSize || "full"}, patience ${s.patience}, max ${s.maxEpochs} epochs, ${s.split ?? "shared"} split, keeps ${s.keep ?? "best"} weights, weight decay ${s.weightDecay ?? 0}, depth ${(s.depth ?? [8, 10]).join("-")}${s.features === "flow-fractions" ? ", flow-fraction features" : ""})`,
    )
    .join("; ")}.
example: sdfl twin train --data chem3 --out chem3-twin.json --seed 1 --cv 6 --calibration-plot cal.svg

With --problem FILE the twin is of that problem: --data is one CSV (columns by the
problem's names, its "columns" or --columns), one ensemble per outcome maps the problem's
inputs (normalised by its bounds) to that outcome, the objective is the problem's formula
of each member's outcomes, and the predictive std of every outcome and of the objective is
fitted on out-of-bag rows (with --cv K: on the out-of-fold residuals). --plot draws the
objective's out-of-bag parity plot.
example: sdfl twin train --problem problem.json --data runs.csv --columns tau=residence_s --out my-twin.json`,
  options: {
    data: {
      type: "string",
      arg: "DIR",
      description: "data folder with inputs.csv and outputs.csv, or chem1|chem2|chem3; with --problem one CSV file",
      default: "chem3",
    },
    ...PROBLEM_OPTIONS,
    out: { type: "string", arg: "FILE", description: "twin file to write (JSON)" },
    seed: { type: "string", arg: "N", description: "seed of architectures, split, weights and batches", default: "0" },
    members: { type: "string", arg: "N", description: "ensemble size", default: "20" },
    cv: { type: "string", arg: "K", description: "also run K-fold outer cross-validation (K trainings more) and calibrate on it" },
    folds: { type: "string", arg: "K", description: "same as --cv" },
    "calibration-plot": { type: "string", arg: "FILE.svg", description: "with --cv: write the out-of-fold calibration plot" },
    schedule: {
      type: "string",
      arg: "NAME",
      description: `training schedule: ${Object.keys(SCHEDULES).join(", ")} (default ${DEFAULT_SCHEDULE.name}; ${PROBLEM_DEFAULT_SCHEDULE.name} with --problem)`,
    },
    lr: { type: "string", arg: "X", description: "override the schedule's Adam learning rate" },
    batch: { type: "string", arg: "N", description: "override the batch size (0 = full batch)" },
    patience: { type: "string", arg: "N", description: "override the early-stopping patience (epochs)" },
    "min-delta": { type: "string", arg: "X", description: "override the early-stopping min delta" },
    "max-epochs": { type: "string", arg: "N", description: "override the epoch limit" },
    workers: { type: "string", arg: "N", description: "training threads (default: one per core, at most 2)" },
    plot: { type: "string", arg: "FILE.svg", description: "write the PLQY parity plot" },
    force: FORCE_OPTION,
  },
  async run(opts, io) {
    const out = resolve(io.cwd, stringOpt(opts, "out", TRAIN));
    const seed = intOpt(opts, "seed", TRAIN, 0, 0, 2 ** 32 - 1);
    const members = intOpt(opts, "members", TRAIN, 20, 2, 1000);
    const folds =
      opts.cv !== undefined ? intOpt(opts, "cv", TRAIN, 6, 2, 1000) : opts.folds !== undefined ? intOpt(opts, "folds", TRAIN, 6, 2, 1000) : undefined;
    const calPlot = typeof opts["calibration-plot"] === "string" ? resolve(io.cwd, opts["calibration-plot"]) : undefined;
    if (calPlot && !folds) throw new UsageError("--calibration-plot needs --cv K (the plot shows out-of-fold predictions)", "add --cv 6");
    const schedule = scheduleFrom(opts);
    const workers = opts.workers === undefined ? undefined : intOpt(opts, "workers", TRAIN, 1, 1, 64);
    if (opts.problem !== undefined)
      return trainProblemTwinCli(opts, io, {
        out,
        seed,
        members,
        schedule,
        ...(workers ? { workers } : {}),
        ...(folds ? { folds } : {}),
        ...(calPlot ? { calPlot } : {}),
      });
    const dir = resolveDatasetDir(typeof opts.data === "string" ? opts.data : undefined, "chem3", io.env, io.cwd);
    const dataFiles = [join(dir, "inputs.csv"), join(dir, "outputs.csv")];
    checkOutputFile(out, "--out", { force: forced(opts), inputs: dataFiles });
    if (typeof opts.plot === "string") checkOutputFile(resolve(io.cwd, opts.plot), "--plot", { force: forced(opts), inputs: [...dataFiles, out] });
    const {
      dataset: ds,
      twin,
      backend: backendName,
      info,
      report,
      cv,
    } = await trainProjectTwin(dir, out, {
      members,
      seed,
      schedule,
      ...(workers ? { workers } : {}),
      folds,
      env: io.env,
      progress: (l) => io.progress(l),
    });
    const backend = { name: backendName };
    if (typeof opts.plot === "string") await writeParity(resolve(io.cwd, opts.plot), twin, ds, info.split, `PLQY parity, ${dir}`);
    if (calPlot && cv) await writeCalibrationPlot(calPlot, cv, `PLQY calibration, ${cv.folds}-fold CV, ${dir}`);
    if (opts.json) {
      io.out(
        JSON.stringify({
          out,
          data: dir,
          backend: backend.name,
          trainer: info.trainer,
          workers: info.workers,
          schedule,
          seed,
          members,
          seconds: info.seconds,
          epochs: info.epochs,
          memberEpochs: info.memberEpochs,
          msPerMemberEpoch: (1000 * info.seconds) / info.memberEpochs,
          train: r2Only(report.train),
          validation: r2Only(report.validation),
          ...(twin.spec.calibration ? { calibration: twin.spec.calibration } : {}),
          ...(cv ? { cv: cvSummary(cv) } : {}),
        }) + "\n",
      );
    } else {
      io.out(
        `trained ${members} members in ${info.seconds.toFixed(2)} s (${info.memberEpochs} member-epochs, schedule ${schedule.name}, backend ${backend.name})\n`,
      );
      io.out(accuracyLines(report, cv));
      io.out(`wrote ${out}\n`);
    }
    return 0;
  },
};

/** `sdfl twin predict`. */
export const predictCommand: Command = {
  path: ["twin", "predict"],
  summary: "predict Abs300nm, PLA and the PLQY proxy (mean and std over members) for a CSV of conditions",
  details: `
The input CSV needs a header with T,CuI,ZnI2,CsOA,ODE (other columns are ignored, so a data
set's inputs.csv works as it is). The output has the columns
T,CuI,ZnI2,CsOA,ODE,abs_mean,abs_std,pla_mean,pla_std,plqy_mean,plqy_std (std with n-1).
example: sdfl twin predict --twin chem1 --input conditions.csv --out predictions.csv

A twin of another problem (sdfl twin train --problem) reads one column per input of its
problem (by name, the problem's "columns", the columns it was trained with, or --columns)
and writes the inputs, then <outcome>_mean,<outcome>_std,<outcome>_pred_std per outcome and
objective_mean,objective_std,objective_pred_std (the problem's objective by its formula, per
member). --problem, if given, must be the twin's problem.
example: sdfl twin predict --twin my-twin.json --input conditions.csv --out predictions.csv`,
  options: {
    twin: { type: "string", arg: "FILE", description: "twin file (project, published or problem twin), or chem1" },
    input: { type: "string", arg: "CSV", description: "conditions to predict" },
    inputs: { type: "string", arg: "CSV", description: "same as --input" },
    ...PROBLEM_OPTIONS,
    out: { type: "string", arg: "CSV", description: "where to write the predictions" },
    force: FORCE_OPTION,
  },
  async run(opts, io) {
    const cmd = "twin predict";
    const file = resolveTwinPath(stringOpt(opts, "twin", cmd), io.env, io.cwd);
    const input = resolve(io.cwd, stringOpt(opts, typeof opts.inputs === "string" ? "inputs" : "input", cmd));
    const out = resolve(io.cwd, stringOpt(opts, "out", cmd));
    checkOutputFile(out, "--out", { force: forced(opts), inputs: [input, file] });
    const loaded = await loadAnyTwin(file);
    if (loaded.kind === "problem") return predictProblemTwinCli(opts, io, { twinFile: file, input, out, loaded: loaded.file });
    const twin = loaded.twin;
    try {
      if (opts.problem !== undefined || opts.columns !== undefined)
        throw new UsageError(
          `${file} is a twin of the paper's problem (T, CuI, ZnI2, CsOA, ODE -> Abs300nm, PLA); --problem and --columns are for twins trained with --problem`,
          "leave them out, or pass a twin trained with `sdfl twin train --problem`",
        );
      const points = readPredictionInputs(input, twin.inputBounds);
      const t0 = performance.now();
      const p = twin.predict(points);
      assertFiniteResult(
        { abs_mean: p.absMean, abs_std: p.absStd, pla_mean: p.plaMean, pla_std: p.plaStd, plqy_mean: p.plqyMean, plqy_std: p.plqyStd },
        `the predictions for ${out} (index = data row - 1)`,
      );
      writeTextFile(out, formatPredictions(points, p));
      io.progress(`twin predict: ${points.length} points in ${((performance.now() - t0) / 1000).toFixed(3)} s, wrote ${out}`);
      if (opts.json) io.out(JSON.stringify({ out, points: points.length, members: twin.memberCount }) + "\n");
      return 0;
    } finally {
      twin.dispose();
    }
  },
};

/** `sdfl twin evaluate`. */
export const evaluateCommand: Command = {
  path: ["twin", "evaluate"],
  summary: "accuracy report of a saved twin on a data set: R^2, calibration, parity plot",
  details: `
For a twin trained by sdfl on the same data (file hashes match) the training and validation
rows are reported separately; otherwise all rows are evaluated together. Coverage and NLL
are of the twin's predictive std (its calibration; the member spread for published twins).
With --cv K, K-fold outer cross-validation retrains with the twin's settings (schedule,
members, seed from its file; the default schedule for published twins) on the data and
reports pooled out-of-fold R^2, coverage and NLL, and --calibration-plot draws them.
example: sdfl twin evaluate --twin chem1 --data chem1 --plot parity.svg --cv 6 --calibration-plot cal.svg

A twin of another problem (sdfl twin train --problem) is scored on one CSV of its problem
(--data, default its training data): R^2, coverage and NLL of every outcome and of the
objective; --plot draws the objective's parity plot; --cv K cross-validates with the
twin's own settings.`,
  options: {
    twin: { type: "string", arg: "FILE", description: "twin file (project, published or problem twin), or chem1" },
    data: {
      type: "string",
      arg: "DIR",
      description: "data folder or chem1|chem2|chem3 (default: chemN for --twin chemN, else chem3); for a problem twin one CSV",
    },
    ...PROBLEM_OPTIONS,
    plot: { type: "string", arg: "FILE.svg", description: "write the PLQY parity plot with +-1 std error bars" },
    cv: { type: "string", arg: "K", description: "K-fold outer cross-validation with the twin's training settings" },
    "calibration-plot": { type: "string", arg: "FILE.svg", description: "with --cv: write the out-of-fold calibration plot" },
    workers: { type: "string", arg: "N", description: "with --cv: training threads (default: one per core, at most 2)" },
    force: FORCE_OPTION,
  },
  async run(opts, io) {
    const cmd = "twin evaluate";
    const k = opts.cv === undefined ? undefined : intOpt(opts, "cv", cmd, 6, 2, 1000);
    const calPlot = typeof opts["calibration-plot"] === "string" ? resolve(io.cwd, opts["calibration-plot"]) : undefined;
    if (calPlot && !k) throw new UsageError("--calibration-plot needs --cv K (the plot shows out-of-fold predictions)", "add --cv 6");
    const workers = opts.workers === undefined ? undefined : intOpt(opts, "workers", cmd, 1, 1, 64);
    const twinArg = stringOpt(opts, "twin", cmd);
    const file = resolveTwinPath(twinArg, io.env, io.cwd);
    const raw = readJsonFile(file);
    if (isProblemTwin(raw)) return evaluateProblemTwinCli(opts, io, { twinFile: file, loaded: parseProblemTwin(raw, file) });
    const dataArg = typeof opts.data === "string" ? opts.data : /^chem\d+$/i.test(twinArg) ? twinArg : undefined;
    const dir = resolveDatasetDir(dataArg, "chem3", io.env, io.cwd);
    const plot = typeof opts.plot === "string" ? resolve(io.cwd, opts.plot) : undefined;
    if (plot) checkOutputFile(plot, "--plot", { force: forced(opts), inputs: [file, join(dir, "inputs.csv"), join(dir, "outputs.csv")] });
    const ds = loadDataset(dir);
    for (const w of warningLines(ds)) io.err(w + "\n");
    const json = readJsonFile(file);
    const meta = isProjectTwin(json) ? parseProjectTwin(json, file).training : undefined;
    if (k !== undefined && k > ds.X.length) throw new UsageError(`--cv ${k}: the data set has only ${ds.X.length} rows`, `choose K from 2 to ${ds.X.length}`);
    const sameData = !!meta && meta.data.inputsSha256 === ds.hashes.inputs && meta.data.outputsSha256 === ds.hashes.outputs;
    const split = sameData ? meta!.split : undefined;
    const twin = await loadTwin(file);
    try {
      if (split && [...split.train, ...split.validation].some((r) => r >= ds.X.length))
        throw new FormatError(`${file}: its training split names rows beyond the ${ds.X.length} rows of ${dir}`, "the twin file is damaged: retrain it");
      const report = accuracyReport(twin, ds, split);
      assertFiniteResult({ train: r2Only(report.train), validation: r2Only(report.validation), all: r2Only(report.all) }, `the accuracy of ${file}`);
      if (plot) await writeParity(plot, twin, ds, split, `PLQY parity, ${twinArg} on ${dataArg ?? dir}`);
      let cv: CrossValidation | undefined;
      if (k) {
        // Fields an older file lacks had one meaning then: shared split, best weights, no decay,
        // the inputs as features, random folds, no input noise, no edge slabs.
        const schedule: TrainSchedule = meta?.schedule
          ? {
              ...DEFAULT_SCHEDULE,
              keep: "best",
              split: "shared",
              weightDecay: 0,
              features: "inputs",
              bands: 0,
              inputNoise: 0,
              slabs: 0,
              ...(meta.schedule as Partial<TrainSchedule>),
            }
          : DEFAULT_SCHEDULE;
        const members = meta?.members ?? twin.memberCount;
        io.progress(`twin evaluate: ${k}-fold cross-validation, ${members} members, schedule ${schedule.name}`);
        cv = await crossValidate(ds, k, { members, seed: meta?.seed ?? 0, schedule, ...(workers ? { workers } : {}) }, (f) =>
          io.progress(`twin evaluate: fold ${f + 1}/${k}`),
        );
        if (calPlot) await writeCalibrationPlot(calPlot, cv, `PLQY calibration, ${k}-fold CV, ${dataArg ?? dir}`);
      }
      if (opts.json) {
        io.out(
          JSON.stringify({
            twin: file,
            data: dir,
            members: twin.memberCount,
            sameData,
            train: r2Only(report.train),
            validation: r2Only(report.validation),
            all: r2Only(report.all),
            ...(plot ? { plot } : {}),
            ...(cv ? { cv: cvSummary(cv) } : {}),
          }) + "\n",
        );
      } else {
        io.out(`${twin.memberCount}-member twin ${file} on ${dir}${sameData ? " (its training data: split shown)" : ""}\n`);
        io.out(accuracyLines(report, cv));
        if (plot) io.out(`parity plot: ${plot}\n`);
      }
      return 0;
    } finally {
      twin.dispose();
    }
  },
};

/** The `sdfl twin` subcommands. */
export const twinCommands: Command[] = [trainCommand, predictCommand, evaluateCommand];
