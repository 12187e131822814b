import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { DataError, UsageError } from "../../core/errors.js";
import { assertFiniteResult } from "../../core/finite.js";
import { parseColumnMap, readProblemCsv } from "../../bo/problem/problemCsv.js";
import { PROBLEM_DEFAULT_SCHEDULE, type TrainSchedule } from "../../twin/enn/schedule.js";
import type { VarianceModel } from "../../twin/calibration.js";
import { crossValidateProblemTwin } from "../../twin/generic/crossValidateProblemTwin.js";
import { calibrationSvg } from "../../report/svg/calibrationPlot.js";
import { ProblemTwin } from "../../twin/generic/problemTwin.js";
import { defaultKernels } from "../../twin/enn/memberTrainer.js";
import { formatProblemPredictions, readProblemConditions, readTwinRows } from "../../twin/generic/problemPredictCsv.js";
import { evaluateProblemTwin, type MeasuredAccuracy } from "../../twin/generic/evaluateProblemTwin.js";
import { saveProblemTwin, sameProblem, type ProblemTwinFile } from "../../twin/generic/problemTwinFile.js";
import { trainProblemTwin, type QuantityAccuracy } from "../../twin/generic/trainProblemTwin.js";
import { writeTextFile } from "../../twin/twinFile.js";
import { paritySvg } from "../../report/svg/parityPlot.js";
import { givenOptions, intOpt, stringOpt, type CommandIO, type ParsedOptions } from "../command.js";
import { checkOutputFile, forced } from "../outputs.js";
import { problemOf } from "./problem.js";

/** `--columns` of a command (problem name -> CSV header), empty when not given. */
export function columnsOpt(opts: ParsedOptions): Record<string, string> {
  return typeof opts.columns === "string" ? parseColumnMap(opts.columns) : {};
}

/** `--data` for a problem: one CSV file (not a folder of the paper's two-file layout). */
function dataCsvOpt(opts: ParsedOptions, cmd: string, cwd: string): string {
  if (typeof opts.data !== "string" || !givenOptions(opts).has("data"))
    throw new UsageError(`${cmd} --problem needs --data FILE.csv (one row per experiment: inputs and outcomes)`);
  const file = resolve(cwd, opts.data);
  if (existsSync(file) && statSync(file).isDirectory())
    throw new UsageError(
      `--data ${opts.data} is a folder; with --problem, --data is one CSV file with a column per input and outcome`,
      "give the CSV file; map its headers with --columns NAME=HEADER or the problem's columns",
    );
  return file;
}

const r2Text = (v: number | null): string => (v === null || !Number.isFinite(v) ? "n/a" : v.toFixed(4));

/**
 * `sdfl twin train --problem FILE --data FILE.csv`: one ensemble per outcome of the
 * problem (same defaults as the paper twin), out-of-bag calibration, a problem twin file.
 */
export async function trainProblemTwinCli(
  opts: ParsedOptions,
  io: CommandIO,
  o: { out: string; seed: number; members: number; schedule: TrainSchedule; workers?: number; folds?: number; calPlot?: string },
): Promise<number> {
  const cmd = "twin train";
  const problem = problemOf(opts.problem, io.cwd);
  const problemFile = resolve(io.cwd, stringOpt(opts, "problem", cmd));
  const dataFile = dataCsvOpt(opts, cmd, io.cwd);
  const columns = columnsOpt(opts);
  const plot = typeof opts.plot === "string" ? resolve(io.cwd, opts.plot) : undefined;
  checkOutputFile(o.out, "--out", { force: forced(opts), inputs: [dataFile, problemFile] });
  if (plot) checkOutputFile(plot, "--plot", { force: forced(opts), inputs: [dataFile, problemFile, o.out] });
  if (o.calPlot) checkOutputFile(o.calPlot, "--calibration-plot", { force: forced(opts), inputs: [dataFile, problemFile, o.out] });
  const rows = readProblemCsv(dataFile, problem, { columns, outcomes: "required" });
  if (o.folds !== undefined && o.folds > rows.length)
    throw new UsageError(`--cv ${o.folds}: the data have only ${rows.length} rows`, `choose K from 2 to ${rows.length}`);
  io.progress(`twin train: problem ${problem.name}, ${rows.length} rows from ${dataFile}; inputs ${problem.space.inputs.map((s) => s.name).join(", ")}`);
  const settings = { members: o.members, seed: o.seed, schedule: o.schedule, ...(o.workers ? { workers: o.workers } : {}), file: dataFile };
  const t = await trainProblemTwin(problem, rows, { ...settings, progress: (l) => io.progress(l) });
  const info = t.info[0];
  // With --cv the variance models are refitted on the pooled out-of-fold residuals (as for the paper twin).
  const cv = o.folds
    ? await crossValidateProblemTwin(problem, rows, o.folds, settings, (f) => io.progress(`twin train: cross-validation fold ${f + 1}/${o.folds}`))
    : undefined;
  const twin = cv ? withCalibration(t.twin, cv.models) : t.twin;
  const training = {
    data: {
      file: dataFile,
      rows: rows.length,
      sha256: createHash("sha256").update(readFileSync(dataFile)).digest("hex"),
      columns: { ...problem.columns, ...columns },
    },
    seed: o.seed,
    members: o.members,
    schedule: { ...o.schedule },
    depth: info.depth,
    width: info.width,
    trainer: info.trainer,
    workers: info.workers,
    seconds: t.seconds,
    epochs: Object.fromEntries(t.twin.spec.outcomes.map((x, j) => [x.name, t.info[j].epochs])),
    calibrationRows: cv ? rows.length : t.calibrationRows,
    calibrationMethod: cv ? `${cv.folds}-fold cross-validation` : t.calibrationRows > 0 ? "out-of-bag" : "none (member spread)",
  };
  const cvSummary = cv ? { folds: cv.folds, accuracy: cv.accuracy, foldSeconds: cv.foldSeconds } : undefined;
  saveProblemTwin(o.out, twin, training, { accuracy: t.accuracy, ...(cvSummary ? { cv: cvSummary } : {}) });
  if (o.calPlot && cv) {
    const ob = cv.oof.objective;
    writeTextFile(
      o.calPlot,
      await calibrationSvg(
        ob.measured,
        ob.mean,
        [
          { name: "predictive std", std: ob.predStd },
          { name: "member spread", std: ob.std },
        ],
        `${problem.objective.name} calibration, ${cv.folds}-fold CV, ${problem.name}`,
      ),
    );
  }
  if (plot) {
    const ob = t.oob.objective;
    const post = t.twin.predict(ob.rows.map((i) => t.twin.inputs.map((name) => rows[i].condition[name])));
    writeTextFile(
      plot,
      await paritySvg([{ name: "out of bag", measured: ob.rows.map((i) => t.measured.objective[i]), predicted: ob.mean, std: post.objective.predStd }], {
        title: `${problem.objective.name} parity (out of bag), ${problem.name}`,
        label: `${problem.objective.name}${problem.objective.unit ? ` (${problem.objective.unit})` : ""}`,
      }),
    );
  }
  if (opts.json) {
    io.out(
      JSON.stringify({
        out: o.out,
        problem: problem.name,
        data: dataFile,
        rows: rows.length,
        trainer: defaultKernels().name,
        workers: info.workers,
        schedule: o.schedule,
        seed: o.seed,
        members: o.members,
        seconds: t.seconds,
        accuracy: t.accuracy,
        calibrationRows: training.calibrationRows,
        calibrationMethod: training.calibrationMethod,
        ...(cvSummary ? { cv: cvSummary } : {}),
      }) + "\n",
    );
  } else {
    io.out(
      `trained ${t.twin.spec.outcomes.length} outcome ensemble(s) x ${o.members} members on ${rows.length} rows in ${t.seconds.toFixed(2)} s (schedule ${o.schedule.name})\n`,
    );
    io.out(accuracyTable(t.twin, t.accuracy));
    if (cv) io.out(measuredTable(twin, `${cv.folds}-fold CV`, cv.accuracy));
    io.out(
      cv
        ? `predictive std calibrated on the ${rows.length} out-of-fold residuals\n`
        : t.calibrationRows > 0
          ? `predictive std calibrated on ${t.calibrationRows} out-of-bag rows\n`
          : "too few rows out of bag for two or more members: the predictive std is the member spread (use --members 20 or more)\n",
    );
    io.out(`wrote ${o.out}\n`);
  }
  return 0;
}

/** R^2 of each outcome and of the objective, in sample and out of bag. */
function accuracyTable(twin: ProblemTwin, acc: Record<string, QuantityAccuracy>): string {
  const p = twin.problem;
  const rows: [string, QuantityAccuracy][] = [
    ...twin.outcomeSpecs.map((o) => [`${o.name}${o.unit ? ` (${o.unit})` : ""}`, acc[o.name]] as [string, QuantityAccuracy]),
    [`${p.objective.name} (objective, ${p.objective.goal})`, acc.objective],
  ];
  const w = Math.max(8, ...rows.map(([n]) => n.length));
  const lines = [`${"quantity".padEnd(w)}  R2 all rows  R2 out of bag  (n out of bag)`];
  for (const [name, a] of rows) lines.push(`${name.padEnd(w)}  ${r2Text(a.r2).padStart(11)}  ${r2Text(a.r2OutOfBag).padStart(13)}  (${a.nOutOfBag})`);
  return lines.join("\n") + "\n";
}

/** R^2, coverage and NLL of each outcome and of the objective (on rows, or out of fold). */
function measuredTable(twin: ProblemTwin, heading: string, acc: Record<string, MeasuredAccuracy>): string {
  const p = twin.problem;
  const names: [string, string][] = [
    ...twin.outcomeSpecs.map((o) => [o.name, `${o.name}${o.unit ? ` (${o.unit})` : ""}`] as [string, string]),
    ["objective", `${p.objective.name} (objective)`],
  ];
  const w = Math.max(8, ...names.map(([, l]) => l.length));
  const pct = (v: number) => `${(100 * v).toFixed(0)} %`.padStart(12);
  const lines = [`${heading.padEnd(w)}       R2  within 1 std  within 2 std    NLL   (predictive std)`];
  for (const [key, label] of names) {
    const a = acc[key];
    lines.push(
      `${label.padEnd(w)}  ${r2Text(a.r2).padStart(7)}  ${pct(a.calibration.within1Std)}  ${pct(a.calibration.within2Std)}  ${a.calibration.nll.toFixed(2).padStart(5)}`,
    );
  }
  return lines.join("\n") + "\n";
}

/** The twin with other variance models (by outcome name and "objective"). */
function withCalibration(twin: ProblemTwin, models: Record<string, VarianceModel>): ProblemTwin {
  const s = twin.spec;
  return new ProblemTwin({ ...s, outcomes: s.outcomes.map((x) => ({ ...x, calibration: models[x.name] })), objectiveCalibration: models.objective });
}

/** A --problem given with a problem twin must be the twin's problem. */
export function checkSameProblem(opts: ParsedOptions, io: CommandIO, twinFile: string, loaded: ProblemTwinFile): void {
  if (typeof opts.problem !== "string") return;
  const given = problemOf(opts.problem, io.cwd);
  if (!sameProblem(given.definition, loaded.twin.problem.definition))
    throw new UsageError(
      `${twinFile} is a twin of the problem "${loaded.twin.problem.name}" (inputs ${loaded.twin.inputs.join(", ")}; outcomes ${loaded.twin.spec.outcomes.map((x) => x.name).join(", ")}), but --problem ${opts.problem} defines "${given.name}" differently`,
      "leave out --problem (the twin file records its problem) or train a twin for this problem",
    );
}

/** `sdfl twin predict` with a problem twin: outcomes and objective (+ std) for a CSV of conditions. */
export async function predictProblemTwinCli(
  opts: ParsedOptions,
  io: CommandIO,
  f: { twinFile: string; input: string; out: string; loaded: ProblemTwinFile },
): Promise<number> {
  checkSameProblem(opts, io, f.twinFile, f.loaded);
  const twin = f.loaded.twin;
  const columns = { ...f.loaded.training.data.columns, ...columnsOpt(opts) };
  const points = readProblemConditions(f.input, twin, columns);
  const t0 = performance.now();
  const p = twin.predict(points);
  const check: Record<string, Float64Array> = { objective_mean: p.objective.mean, objective_std: p.objective.std };
  for (const [name, q] of Object.entries(p.outcomes)) check[`${name}_mean`] = q.mean;
  assertFiniteResult(
    check,
    `the predictions for ${f.out} (index = data row - 1)`,
    "a prediction or the objective formula gave a non-number (e.g. a logarithm of a negative prediction)",
  );
  writeTextFile(f.out, formatProblemPredictions(twin, points, p));
  io.progress(`twin predict: ${points.length} points in ${((performance.now() - t0) / 1000).toFixed(3)} s, wrote ${f.out}`);
  if (opts.json) io.out(JSON.stringify({ out: f.out, problem: twin.problem.name, points: points.length, members: twin.memberCount }) + "\n");
  return 0;
}

/**
 * `sdfl twin evaluate` with a problem twin: R^2 and calibration of every outcome and of
 * the objective on one CSV of the problem (default: the twin's training data, in sample).
 */
export async function evaluateProblemTwinCli(opts: ParsedOptions, io: CommandIO, f: { twinFile: string; loaded: ProblemTwinFile }): Promise<number> {
  const k = opts.cv === undefined ? undefined : intOpt(opts, "cv", "twin evaluate", 6, 2, 1000);
  const calPlot = typeof opts["calibration-plot"] === "string" ? resolve(io.cwd, opts["calibration-plot"]) : undefined;
  if (calPlot && !k) throw new UsageError("--calibration-plot needs --cv K (the plot shows out-of-fold predictions)", "add --cv 6");
  checkSameProblem(opts, io, f.twinFile, f.loaded);
  const twin = f.loaded.twin;
  const trainedOn = f.loaded.training.data.file;
  const dataFile = typeof opts.data === "string" && givenOptions(opts).has("data") ? resolve(io.cwd, opts.data) : trainedOn;
  const plot = typeof opts.plot === "string" ? resolve(io.cwd, opts.plot) : undefined;
  if (plot) checkOutputFile(plot, "--plot", { force: forced(opts), inputs: [f.twinFile, dataFile] });
  if (!existsSync(dataFile))
    throw new DataError(
      { file: dataFile },
      `file not found${dataFile === trainedOn ? " (the twin's training data, recorded in the twin file)" : ""}`,
      "give --data FILE.csv with one column per input and outcome of the problem",
    );
  const rows = readTwinRows(dataFile, twin, { ...f.loaded.training.data.columns, ...columnsOpt(opts) }, "required");
  const sameData = createHash("sha256").update(readFileSync(dataFile)).digest("hex") === f.loaded.training.data.sha256;
  const ev = evaluateProblemTwin(twin, rows);
  if (k !== undefined && k > rows.length) throw new UsageError(`--cv ${k}: the data have only ${rows.length} rows`, `choose K from 2 to ${rows.length}`);
  if (calPlot) checkOutputFile(calPlot, "--calibration-plot", { force: forced(opts), inputs: [f.twinFile, dataFile, ...(plot ? [plot] : [])] });
  // --cv retrains with the twin's own settings (members, seed, schedule from its file).
  const tr = f.loaded.training;
  const workers = opts.workers === undefined ? undefined : intOpt(opts, "workers", "twin evaluate", 1, 1, 64);
  const cv = k
    ? await crossValidateProblemTwin(
        twin.problem,
        rows,
        k,
        {
          members: tr.members,
          seed: tr.seed,
          schedule: { ...PROBLEM_DEFAULT_SCHEDULE, ...(tr.schedule as Partial<TrainSchedule>) },
          ...(workers ? { workers } : {}),
        },
        (fold) => io.progress(`twin evaluate: fold ${fold + 1}/${k}`),
      )
    : undefined;
  if (calPlot && cv) {
    const ob = cv.oof.objective;
    writeTextFile(
      calPlot,
      await calibrationSvg(
        ob.measured,
        ob.mean,
        [
          { name: "predictive std", std: ob.predStd },
          { name: "member spread", std: ob.std },
        ],
        `${twin.problem.objective.name} calibration, ${k}-fold CV, ${twin.problem.name}`,
      ),
    );
  }
  if (plot) {
    const o = ev.posterior.objective;
    writeTextFile(
      plot,
      await paritySvg([{ name: sameData ? "training rows (in sample)" : "rows", measured: ev.measured.objective, predicted: o.mean, std: o.predStd }], {
        title: `${twin.problem.objective.name} parity, ${twin.problem.name}`,
        label: `${twin.problem.objective.name}${twin.problem.objective.unit ? ` (${twin.problem.objective.unit})` : ""}`,
      }),
    );
  }
  if (opts.json) {
    io.out(
      JSON.stringify({
        twin: f.twinFile,
        problem: twin.problem.name,
        data: dataFile,
        rows: ev.n,
        sameData,
        accuracy: ev.accuracy,
        ...(plot ? { plot } : {}),
        ...(cv ? { cv: { folds: cv.folds, accuracy: cv.accuracy } } : {}),
      }) + "\n",
    );
    return 0;
  }
  const p = twin.problem;
  io.out(
    `${twin.memberCount}-member twin ${f.twinFile} (problem ${p.name}) on ${dataFile}, ${ev.n} rows${sameData ? " (its training data: in sample; out-of-bag R^2 is in the twin file)" : ""}\n`,
  );
  io.out(measuredTable(twin, "quantity", ev.accuracy));
  if (cv) io.out(measuredTable(twin, `${cv.folds}-fold CV`, cv.accuracy));
  if (plot) io.out(`parity plot: ${plot}\n`);
  return 0;
}
