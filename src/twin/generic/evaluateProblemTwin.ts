import { objectiveOf } from "../../bo/problem/problem.js";
import type { ProblemRow } from "../../bo/problem/problemCsv.js";
import { calibration, rSquared, type Calibration } from "../metrics.js";
import { OBJECTIVE_KEY } from "./explainProblemTwin.js";
import type { ProblemPosterior, ProblemTwin } from "./problemTwin.js";

/** Accuracy of one predicted quantity on measured rows. */
export interface MeasuredAccuracy {
  /** R^2 of the ensemble mean (NaN when the measured values do not vary). */
  r2: number;
  /** Coverage and NLL of the calibrated predictive std. */
  calibration: Calibration;
  /** The same for the member spread alone. */
  rawCalibration: Calibration;
}

/** What {@link evaluateProblemTwin} returns. */
export interface ProblemTwinEvaluation {
  n: number;
  /** By outcome name and "objective". */
  accuracy: Record<string, MeasuredAccuracy>;
  /** Measured values by outcome name and "objective", [n] each. */
  measured: Record<string, number[]>;
  posterior: ProblemPosterior;
}

/** Measured values of rows by modelled outcome and "objective" (the problem's formula of the measured outcomes), [n] each. */
export function measuredValues(twin: ProblemTwin, rows: readonly ProblemRow[]): Record<string, number[]> {
  const measured: Record<string, number[]> = Object.fromEntries(twin.outcomeSpecs.map((o) => [o.name, rows.map((r) => r.outcomes[o.name])]));
  measured[OBJECTIVE_KEY] = rows.map((r) => objectiveOf(twin.problem, r.outcomes, r.condition));
  return measured;
}

/**
 * Score a problem twin on measured rows (every outcome given): R^2 of the ensemble mean
 * and calibration (within 1 and 2 std, Gaussian NLL) of the predictive std and of the
 * member spread, for every outcome and for the objective computed from the measured
 * outcomes by the problem's formula.
 */
export function evaluateProblemTwin(twin: ProblemTwin, rows: readonly ProblemRow[]): ProblemTwinEvaluation {
  const post = twin.predict(rows.map((r) => twin.inputs.map((name) => r.condition[name])));
  const measured = measuredValues(twin, rows);
  const accuracy: Record<string, MeasuredAccuracy> = {};
  for (const [name, y] of Object.entries(measured)) {
    const q = name === OBJECTIVE_KEY ? post.objective : post.outcomes[name];
    accuracy[name] = { r2: rSquared(y, q.mean), calibration: calibration(y, q.mean, q.predStd), rawCalibration: calibration(y, q.mean, q.std) };
  }
  return { n: rows.length, accuracy, measured, posterior: post };
}
