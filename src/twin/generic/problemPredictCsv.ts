import { readCsv, formatCsv } from "../../core/csv.js";
import { readProblemCsv, type ProblemRow } from "../../bo/problem/problemCsv.js";
import type { ProblemPosterior, ProblemTwin } from "./problemTwin.js";

/**
 * Read the conditions to predict from a CSV: one column per free input of the twin's
 * problem, found by name or by `columns` (problem name -> header; a mapping whose column
 * the file does not have falls back to the problem's name, so a file with the problem's
 * own headers works whatever the twin was trained from). Missing values, non-numbers and
 * values outside the problem's bounds are errors naming file, line and column
 * (readProblemCsv).
 * @returns points [n][d] in the twin's input order
 */
export function readProblemConditions(file: string, twin: ProblemTwin, columns: Readonly<Record<string, string>>): number[][] {
  return readTwinRows(file, twin, columns, "ignored").map((r) => twin.inputs.map((name) => r.condition[name]));
}

/**
 * Rows of a CSV for a problem twin (readProblemCsv), with `outcomes` "required" for
 * evaluation; column mappings whose header the file lacks fall back to the problem's names.
 */
export function readTwinRows(file: string, twin: ProblemTwin, columns: Readonly<Record<string, string>>, outcomes: "required" | "ignored"): ProblemRow[] {
  const header = new Set(readCsv(file).header.map((h) => h.trim().toLowerCase()));
  const present = (m: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(m).filter(([, col]) => header.has(col.trim().toLowerCase())));
  return readProblemCsv(file, { ...twin.problem, columns: present(twin.problem.columns) }, { columns: present(columns), outcomes });
}

/** Columns of a problem twin's prediction CSV: inputs, then per outcome and for the objective mean, member std and predictive std. */
export function problemPredictionColumns(twin: ProblemTwin): string[] {
  const q = (name: string) => [`${name}_mean`, `${name}_std`, `${name}_pred_std`];
  return [...twin.inputs, ...twin.spec.outcomes.flatMap((o) => q(o.name)), ...q("objective")];
}

/**
 * The prediction CSV text: inputs (problem names, physical units), then for each outcome
 * and for the objective (as the problem defines it, not negated for minimize) the mean
 * over members, the member std (n-1) and the calibrated predictive std.
 */
export function formatProblemPredictions(twin: ProblemTwin, points: readonly (readonly number[])[], p: ProblemPosterior): string {
  const qs = [...twin.spec.outcomes.map((o) => p.outcomes[o.name]), p.objective];
  return formatCsv(
    problemPredictionColumns(twin),
    points.map((x, i) => [...x, ...qs.flatMap((q) => [q.mean[i], q.std[i], q.predStd[i]])]),
  );
}
