import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { DataError, UsageError } from "../../core/errors.js";
import { assertFiniteResult } from "../../core/finite.js";
import { parseColumnMap, readProblemCsv } from "../../bo/problem/problemCsv.js";
import type { TrainSchedule } from "../../twin/enn/schedule.js";
import { defaultKernels } from "../../twin/enn/memberTrainer.js";
import type { ProblemTwin } from "../../twin/generic/problemTwin.js";
import { formatProblemPredictions, readProblemConditions, readTwinRows } from "../../twin/generic/problemPredictCsv.js";
import { evaluateProblemTwin } from "../../twin/generic/evaluateProblemTwin.js";
import { saveProblemTwin, sameProblem, type ProblemTwinFile } from "../../twin/generic/problemTwinFile.js";
import { trainProblemTwin, type QuantityAccuracy } from "../../twin/generic/trainProblemTwin.js";
import { writeTextFile } from "../../twin/twinFile.js";
import { paritySvg } from "../../report/svg/parityPlot.js";
import { givenOptions, stringOpt, type CommandIO, type ParsedOptions } from "../command.js";
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
  o: { out: string; seed: number; members: number; schedule: TrainSchedule; workers?: number },
): Promise<number> {
  const cmd = "twin train";
  if (opts.cv !== undefined || opts.folds !== undefined || opts["calibration-plot"] !== undefined)
    throw new UsageError(
      "--cv/--folds/--calibration-plot are not available with --problem yet",
      "the out-of-bag R^2 of every outcome and of the objective is reported instead",
    );
  const problem = problemOf(opts.problem, io.cwd);
  const problemFile = resolve(io.cwd, stringOpt(opts, "problem", cmd));
  const dataFile = dataCsvOpt(opts, cmd, io.cwd);
  const columns = columnsOpt(opts);
  const plot = typeof opts.plot === "string" ? resolve(io.cwd, opts.plot) : undefined;
  checkOutputFile(o.out, "--out", { force: forced(opts), inputs: [dataFile, problemFile] });
  if (plot) checkOutputFile(plot, "--plot", { force: forced(opts), inputs: [dataFile, problemFile, o.out] });
  const rows = readProblemCsv(dataFile, problem, { columns, outcomes: "required" });
  io.progress(`twin train: problem ${problem.name}, ${rows.length} rows from ${dataFile}; inputs ${problem.space.inputs.map((s) => s.name).join(", ")}`);
  const t = await trainProblemTwin(problem, rows, {
    members: o.members,
    seed: o.seed,
    schedule: o.schedule,
    ...(o.workers ? { workers: o.workers } : {}),
    file: dataFile,
    progress: (l) => io.progress(l),
  });
  const info = t.info[0];
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
    calibrationRows: t.calibrationRows,
  };
  saveProblemTwin(o.out, t.twin, training, { accuracy: t.accuracy });
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
        calibrationRows: t.calibrationRows,
      }) + "\n",
    );
  } else {
    io.out(
      `trained ${t.twin.spec.outcomes.length} outcome ensemble(s) x ${o.members} members on ${rows.length} rows in ${t.seconds.toFixed(2)} s (schedule ${o.schedule.name})\n`,
    );
    io.out(accuracyTable(t.twin, t.accuracy));
    io.out(
      t.calibrationRows > 0
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
  if (opts.cv !== undefined || opts["calibration-plot"] !== undefined)
    throw new UsageError(
      "--cv/--calibration-plot are not available for a problem twin yet",
      "`twin train --problem` reports the out-of-bag R^2 of every outcome and the objective",
    );
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
      JSON.stringify({ twin: f.twinFile, problem: twin.problem.name, data: dataFile, rows: ev.n, sameData, accuracy: ev.accuracy, ...(plot ? { plot } : {}) }) +
        "\n",
    );
    return 0;
  }
  const p = twin.problem;
  io.out(
    `${twin.memberCount}-member twin ${f.twinFile} (problem ${p.name}) on ${dataFile}, ${ev.n} rows${sameData ? " (its training data: in sample; out-of-bag R^2 is in the twin file)" : ""}\n`,
  );
  const names: [string, string][] = [
    ...twin.outcomeSpecs.map((o) => [o.name, `${o.name}${o.unit ? ` (${o.unit})` : ""}`] as [string, string]),
    ["objective", `${p.objective.name} (objective)`],
  ];
  const w = Math.max(8, ...names.map(([, l]) => l.length));
  io.out(`${"quantity".padEnd(w)}       R2  within 1 std  within 2 std    NLL   (predictive std)\n`);
  for (const [key, label] of names) {
    const a = ev.accuracy[key];
    const pct = (v: number) => `${(100 * v).toFixed(0)} %`.padStart(12);
    io.out(
      `${label.padEnd(w)}  ${r2Text(a.r2).padStart(7)}  ${pct(a.calibration.within1Std)}  ${pct(a.calibration.within2Std)}  ${a.calibration.nll.toFixed(2).padStart(5)}\n`,
    );
  }
  if (plot) io.out(`parity plot: ${plot}\n`);
  return 0;
}
