import { join } from "node:path";
import { DataError } from "../core/errors.js";
import { initBackend } from "./backend.js";
import { accuracyReport, type AccuracyReport, type SetAccuracy } from "./accuracy.js";
import { CascadeEnsembleTwin } from "./cascadeEnsemble.js";
import { crossValidate, type CrossValidation } from "./crossValidation.js";
import { warningLines, loadDataset, type Dataset } from "./dataset.js";
import { slabMemberCount, trainEnsemble, type EnsembleOptions, type TrainingInfo } from "./enn/trainEnsemble.js";
import { DEFAULT_SCHEDULE } from "./enn/schedule.js";
import { saveProjectTwin } from "./twinFile.js";

/** Settings of {@link trainProjectTwin}; all optional. */
export interface ProjectTwinOptions extends Omit<EnsembleOptions, "onMember"> {
  /** Also run k-fold cross-validation (k more trainings). */
  folds?: number;
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void;
  /** Environment for the backend choice (SDFL_TF_BACKEND). Default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** What {@link trainProjectTwin} returns besides the file it wrote. */
export interface ProjectTwinResult {
  dataset: Dataset;
  dir: string;
  twin: CascadeEnsembleTwin;
  backend: string;
  info: TrainingInfo;
  report: AccuracyReport;
  cv?: CrossValidation;
}

/** R^2 values and calibration of one set, as stored in twin files and printed with --json. */
export function r2Only(a?: SetAccuracy) {
  return a ? { plqy_r2: a.plqy_r2, abs_r2: a.abs_r2, pla_r2: a.pla_r2, n: a.n, calibration: a.calibration, rawCalibration: a.rawCalibration } : undefined;
}

/** A cross-validation without its per-row predictions (what twin files and --json keep). */
export function cvSummary(cv: CrossValidation): Omit<CrossValidation, "oof"> {
  const { oof: _oof, ...rest } = cv;
  return rest;
}

/**
 * Train an ENN twin on the data set in `dir` and save it as a project twin file `out`
 * (versioned JSON with data hashes, seed, backend, hyperparameters and metrics).
 */
export async function trainProjectTwin(dir: string, out: string, opts: ProjectTwinOptions = {}): Promise<ProjectTwinResult> {
  const progress = opts.progress ?? (() => {});
  const { folds, progress: _p, env, ...ensembleOpts } = opts;
  const seed = ensembleOpts.seed ?? 0;
  const members = ensembleOpts.members ?? 20;
  const schedule = ensembleOpts.schedule ?? DEFAULT_SCHEDULE;
  const ds = loadDataset(dir);
  for (const w of warningLines(ds)) progress(w);
  checkTrainable(ds);
  const backend = await initBackend(env);
  progress(`twin train: ${ds.X.length} rows from ${dir}; TensorFlow.js backend ${backend.name} (large-batch prediction)`);
  const total = members + slabMemberCount(schedule, ds.X.length, ds.X[0]?.length ?? 0);
  const trained = await trainEnsemble(ds, {
    ...ensembleOpts,
    seed,
    members,
    schedule,
    onMember: (k, done, r) =>
      progress(
        `  ${k < members ? `member ${k + 1}` : `edge-slab member ${k + 1 - members} (calibration)`}: ${r.epochs} epochs (best ${r.bestEpoch}), ${done}/${total} done`,
      ),
  });
  const { info } = trained;
  progress(`twin train: ${info.memberEpochs} member-epochs in ${info.seconds.toFixed(2)} s (training kernels ${info.trainer})`);
  let cv: CrossValidation | undefined;
  if (folds)
    cv = await crossValidate(ds, Math.min(folds, ds.X.length), { ...ensembleOpts, seed, members, schedule }, (f) =>
      progress(`twin train: cross-validation fold ${f + 1}/${folds}`),
    );
  // With cross-validation the predictive variance model is refitted on the pooled
  // out-of-fold residuals (every row, from ensembles that never saw it); otherwise it is
  // the out-of-bag fit made during training.
  const calibration = cv ? cv.cvCalibration : trained.spec.calibration;
  const twin = new CascadeEnsembleTwin({ ...trained.spec, ...(calibration ? { calibration } : {}), source: `sdfl twin train (${dir}, seed ${seed})` });
  const report = accuracyReport(twin, ds, info.split);
  saveProjectTwin(out, {
    spec: twin.spec,
    training: {
      data: { dir, rows: ds.X.length, inputsSha256: ds.hashes.inputs, outputsSha256: ds.hashes.outputs },
      seed,
      backend: backend.name,
      trainer: info.trainer,
      workers: info.workers,
      schedule: { ...schedule },
      members,
      depth: info.depth,
      width: info.width,
      valFraction: info.valFraction,
      seconds: info.seconds,
      epochs: info.epochs,
      bestEpochs: info.bestEpochs,
      memberEpochs: info.memberEpochs,
      split: info.split,
    },
    metrics: { train: r2Only(report.train), validation: r2Only(report.validation), ...(cv ? { cv: cvSummary(cv) } : {}) },
  });
  progress(`twin train: wrote ${out}`);
  return { dataset: ds, dir, twin, backend: backend.name, info, report, cv };
}

/** Fewest data rows a twin is trained on: 8 training and 2 validation rows with the default 20 % split. */
export const MIN_TRAINING_ROWS = 10;

/** Refuse data a twin cannot be trained and validated on: too few rows, or an output that never varies. */
export function checkTrainable(ds: Dataset): void {
  const n = ds.X.length;
  if (n < MIN_TRAINING_ROWS)
    throw new DataError(
      { file: join(ds.dir, "inputs.csv") },
      `${n} data row${n === 1 ? "" : "s"}; training needs at least ${MIN_TRAINING_ROWS} (${MIN_TRAINING_ROWS - 2} to train on and 2 to validate with)`,
      "measure more conditions, or use a published twin such as chem1",
    );
  for (const [name, v] of [
    ["Abs300nm", ds.abs],
    ["PLA", ds.pla],
  ] as const)
    if (Math.min(...v) === Math.max(...v))
      throw new DataError(
        { file: join(ds.dir, "outputs.csv"), field: name },
        `every row has ${name} = ${v[0]}; a twin needs outputs that vary`,
        "check the outputs file: were the results pasted correctly?",
      );
}
