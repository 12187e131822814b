import type { Problem } from "../../bo/problem/problem.js";
import type { ProblemRow } from "../../bo/problem/problemCsv.js";
import { fitCalibratedModel, type VarianceModel } from "../calibration.js";
import { foldsOf } from "../crossValidation.js";
import { calibration, rSquared } from "../metrics.js";
import { measuredValues, type MeasuredAccuracy } from "./evaluateProblemTwin.js";
import { OBJECTIVE_KEY } from "./explainProblemTwin.js";
import { trainProblemTwin, type ProblemTwinOptions } from "./trainProblemTwin.js";

/** Out-of-fold predictions of one quantity, per row in data order. */
export interface OutOfFold {
  measured: number[];
  mean: number[];
  /** Member spread (n-1) of the fold's ensemble. */
  std: number[];
  /** That fold twin's predictive std (its out-of-bag calibration). */
  predStd: number[];
}

/** K-fold outer cross-validation of a problem twin. */
export interface ProblemCrossValidation {
  folds: number;
  /** By modelled outcome name and "objective": pooled out-of-fold R^2 and calibration. */
  accuracy: Record<string, MeasuredAccuracy>;
  /** Variance models refitted on the pooled out-of-fold residuals (what `--cv` stores in the twin). */
  models: Record<string, VarianceModel>;
  oof: Record<string, OutOfFold>;
  foldSeconds: number[];
  seconds: number;
}

/**
 * K-fold outer cross-validation (the folds of the paper twin's, foldsOf): for each fold a
 * problem twin with the given settings is trained on the other rows and predicts the
 * held-out ones; R^2, coverage and NLL are over all out-of-fold predictions (pooled), and
 * a variance model per quantity is refitted on those residuals (each from an ensemble
 * that never saw its row, so with no extra variance).
 */
export async function crossValidateProblemTwin(
  problem: Problem,
  rows: readonly ProblemRow[],
  k: number,
  opts: ProblemTwinOptions = {},
  onFold?: (fold: number) => void,
): Promise<ProblemCrossValidation> {
  const t0 = performance.now();
  const n = rows.length;
  if (!Number.isInteger(k) || k < 2 || k > n) throw new RangeError(`folds must be an integer from 2 to ${n}, got ${k}`);
  const folds = foldsOf(n, k, opts.seed ?? 0);
  const oof: Record<string, OutOfFold> = {};
  const foldSeconds: number[] = [];
  const { progress: _p, ...quiet } = opts;
  for (const [f, held] of folds.entries()) {
    onFold?.(f);
    const keep = folds.filter((_, g) => g !== f).flat();
    const t = await trainProblemTwin(
      problem,
      keep.map((r) => rows[r]),
      quiet,
    );
    foldSeconds.push(t.seconds);
    const twin = t.twin;
    const post = twin.predict(held.map((r) => twin.inputs.map((name) => rows[r].condition[name])));
    const quantities = { ...post.outcomes, [OBJECTIVE_KEY]: post.objective };
    const truth = measuredValues(
      twin,
      held.map((r) => rows[r]),
    );
    for (const [name, q] of Object.entries(quantities)) {
      const o = (oof[name] ??= { measured: new Array(n), mean: new Array(n), std: new Array(n), predStd: new Array(n) });
      held.forEach((r, i) => {
        o.measured[r] = truth[name][i];
        o.mean[r] = q.mean[i];
        o.std[r] = q.std[i];
        o.predStd[r] = q.predStd[i];
      });
    }
  }
  const accuracy: Record<string, MeasuredAccuracy> = {};
  const models: Record<string, VarianceModel> = {};
  for (const [name, o] of Object.entries(oof)) {
    accuracy[name] = {
      r2: rSquared(o.measured, o.mean),
      calibration: calibration(o.measured, o.mean, o.predStd),
      rawCalibration: calibration(o.measured, o.mean, o.std),
    };
    models[name] = fitCalibratedModel(o.measured.map((y, i) => ({ residual: y - o.mean[i], memberVar: o.std[i] ** 2, extraVar: 0 })));
  }
  return { folds: k, accuracy, models, oof, foldSeconds, seconds: (performance.now() - t0) / 1000 };
}
