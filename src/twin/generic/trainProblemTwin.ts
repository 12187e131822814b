import { DataError } from "../../core/errors.js";
import { objectiveOf, type Problem } from "../../bo/problem/problem.js";
import type { ProblemRow } from "../../bo/problem/problemCsv.js";
import { trainEnsemble, type EnsembleOptions, type TrainingInfo } from "../enn/trainEnsemble.js";
import { PROBLEM_DEFAULT_SCHEDULE } from "../enn/schedule.js";
import { rSquared } from "../metrics.js";
import { MIN_TRAINING_ROWS } from "../trainProjectTwin.js";
import { outOfBag, outOfBagModels, type OutOfBag } from "./problemCalibration.js";
import { ProblemTwin, type OutcomeEnsemble } from "./problemTwin.js";

/** Accuracy of one predicted quantity (an outcome or the objective) on the training rows. */
export interface QuantityAccuracy {
  /** R^2 of the full ensemble's mean on all rows (in sample: optimistic). */
  r2: number;
  /** R^2 of the out-of-bag means (each row predicted by members that never trained on it), or null without out-of-bag rows. */
  r2OutOfBag: number | null;
  /** Rows with an out-of-bag prediction. */
  nOutOfBag: number;
}

/** What {@link trainProblemTwin} returns. */
export interface TrainedProblemTwin {
  twin: ProblemTwin;
  /** Training record per outcome ensemble, in the problem's outcome order. */
  info: TrainingInfo[];
  /** By outcome name and "objective". */
  accuracy: Record<string, QuantityAccuracy>;
  /** Rows the variance models were fitted on, or 0 when the twin has none (member spread). */
  calibrationRows: number;
  /** Out-of-bag predictions of the training rows, by outcome name and "objective" (parity plots). */
  oob: Record<string, OutOfBag>;
  /** Measured values of the training rows, by outcome name and "objective" ([n] each). */
  measured: Record<string, number[]>;
  seconds: number;
}

/** Options of {@link trainProblemTwin}: the ensemble settings (defaults as for the paper twin) and progress lines. */
export interface ProblemTwinOptions extends Omit<EnsembleOptions, "onMember" | "inputBounds" | "outputScaling" | "init" | "calibrate" | "plqyReference"> {
  progress?: (line: string) => void;
  /** Where the rows came from, for error messages and the twin's source. */
  file?: string;
}

/**
 * Train a twin of `problem` on measured rows: one ensemble (same members, schedule and
 * seed as the paper twin by default) per outcome, each mapping the problem's free inputs,
 * normalised by its bounds, to that outcome; every outcome ensemble uses the same seed, so
 * member k of each was trained on the same rows and the objective of member k (the
 * problem's formula of member k's outcomes) has out-of-bag rows too. The predictive
 * variance of each outcome and of the objective is fitted on those rows (calibration.ts).
 * Every row must give every outcome; rows are refused with their lines otherwise.
 */
export async function trainProblemTwin(problem: Problem, rows: readonly ProblemRow[], opts: ProblemTwinOptions = {}): Promise<TrainedProblemTwin> {
  const t0 = performance.now();
  const file = opts.file ?? "data";
  const progress = opts.progress ?? (() => {});
  const { progress: _p, file: _f, ...ensemble } = opts;
  const members = ensemble.members ?? 20;
  const seed = ensemble.seed ?? 0;
  const schedule = ensemble.schedule ?? PROBLEM_DEFAULT_SCHEDULE;
  checkRows(problem, rows, file);
  const inputs = problem.space.inputs.map((s) => s.name);
  const inputBounds = problem.space.inputs.map((s) => [s.bounds[0], s.bounds[1]] as [number, number]);
  const X = rows.map((r) => inputs.map((name) => r.condition[name]));

  const outcomes: OutcomeEnsemble[] = [];
  const info: TrainingInfo[] = [];
  // Optional outcomes are modelled when the data give them on every row.
  const modelled = problem.outcomes.filter((o) => !o.optional || rows.every((r) => typeof r.outcomes[o.name] === "number"));
  const skipped = problem.outcomes.filter((o) => !modelled.includes(o)).map((o) => o.name);
  if (skipped.length) progress(`twin train: optional outcome(s) ${skipped.join(", ")} not on every row: not modelled`);
  for (const [j, o] of modelled.entries()) {
    progress(`twin train: outcome ${o.name} (${j + 1}/${modelled.length}): ${members} members on ${rows.length} rows, schedule ${schedule.name}`);
    const y = rows.map((r) => r.outcomes[o.name]);
    const trained = await trainEnsemble(
      { X, outputs: [y], names: [o.name], inputNames: inputs },
      {
        ...ensemble,
        members,
        seed,
        schedule,
        inputBounds,
        onMember: (k, done, r) => progress(`  ${o.name} member ${k + 1}: ${r.epochs} epochs, ${done}/${members} done`),
      },
    );
    const { min, max } = trained.spec.outputScaling;
    outcomes.push({ name: o.name, unit: o.unit, scaling: { min: min[0], max: max[0] }, members: trained.spec.members });
    info.push(trained.info);
  }

  // Out-of-bag rows: member k never trained on heldOut[k] (the same rows in every outcome ensemble).
  const uncalibrated = new ProblemTwin({ problem, source: "", inputs, inputBounds, outcomes });
  const post = uncalibrated.predict(X);
  const measured: Record<string, number[]> = Object.fromEntries(modelled.map((o) => [o.name, rows.map((r) => r.outcomes[o.name])]));
  measured.objective = rows.map((r) => objectiveOf(problem, r.outcomes, r.condition));
  const heldOut = info[0].heldOut.map((rowsOut, k) => rowsOut.filter((i) => info.every((t) => t.heldOut[k].includes(i))));
  const oob = outOfBag(post, measured, heldOut);
  const models = outOfBagModels(oob);
  const twin = new ProblemTwin({
    problem,
    source: `sdfl twin train --problem (${problem.name}, ${file}, seed ${seed})`,
    inputs,
    inputBounds,
    outcomes: outcomes.map((o) => (models ? { ...o, calibration: models[o.name] } : o)),
    ...(models ? { objectiveCalibration: models.objective } : {}),
  });
  const accuracy: Record<string, QuantityAccuracy> = {};
  for (const name of Object.keys(measured)) {
    const q = name === "objective" ? post.objective : post.outcomes[name];
    const o = oob[name];
    accuracy[name] = {
      r2: rSquared(measured[name], q.mean),
      r2OutOfBag:
        o.rows.length >= 2
          ? rSquared(
              o.rows.map((i) => measured[name][i]),
              o.mean,
            )
          : null,
      nOutOfBag: o.rows.length,
    };
  }
  return { twin, info, accuracy, calibrationRows: models ? oob.objective.rows.length : 0, oob, measured, seconds: (performance.now() - t0) / 1000 };
}

/** Enough rows, every outcome on every row (lines named), and outcomes that vary. */
function checkRows(problem: Problem, rows: readonly ProblemRow[], file: string): void {
  if (rows.length < MIN_TRAINING_ROWS)
    throw new DataError(
      { file },
      `${rows.length} data row${rows.length === 1 ? "" : "s"}; training needs at least ${MIN_TRAINING_ROWS}`,
      "measure more conditions before training a twin",
    );
  for (const o of problem.outcomes.filter((x) => !x.optional)) {
    const missing = rows.filter((r) => typeof r.outcomes[o.name] !== "number").map((r) => r.line);
    if (missing.length > 0)
      throw new DataError(
        { file, field: o.name },
        `the twin models every outcome, but ${o.name} is missing on line${missing.length > 1 ? "s" : ""} ${missing.slice(0, 12).join(", ")}${missing.length > 12 ? ", ..." : ""}`,
        "fill in the values or remove those rows",
      );
    const v = rows.map((r) => r.outcomes[o.name]);
    if (Math.min(...v) === Math.max(...v))
      throw new DataError({ file, field: o.name }, `every row has ${o.name} = ${v[0]}; a twin needs outcomes that vary`, "check the data file");
  }
}
