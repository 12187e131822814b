import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatCsv } from "../core/csv.js";
import { assertFiniteResult } from "../core/finite.js";
import { INPUT_NAMES, pfoFlow } from "../twin/space.js";
import type { ExperimentRecord } from "../bo/campaign/journal.js";
import type { Problem } from "../bo/problem/problem.js";

/** Header of inputs.csv in the published layout (eight columns). */
const INPUTS_CSV_HEADER = [...INPUT_NAMES, "PFO", "# res. t", "washing"] as const;
/** Header of outputs.csv in the published layout. */
const OUTPUTS_CSV_HEADER = ["Abs300nm", "PLA"] as const;

/** Residence times waited before measuring, as in the published files. */
const RESIDENCE_TIMES = 2;

/**
 * Write the finished experiments of a campaign as inputs.csv and outputs.csv in the
 * published layout (row i of outputs.csv is the result of row i of inputs.csv), so the
 * campaign's data can train a twin like the published LHS sets. Inputs are the
 * conditions actually run, to 12 significant digits; features at full precision. `onlyLab` leaves out rows copied from a data set.
 * @returns the paths written and the number of rows.
 */
export function exportPublishedCsv(
  experiments: readonly ExperimentRecord[],
  dir: string,
  options: { onlyLab?: boolean } = {},
): { inputs: string; outputs: string; rows: number } {
  const done = experiments.filter((e) => e.status === "done" && e.measurement && (!options.onlyLab || e.source === "lab"));
  const inputRows = done.map((e) => {
    const m = e.measurement!;
    // A lab without a PFO pump (a test function) records no PFO set point: the carrier flow the condition implies.
    return [...INPUT_NAMES.map((n) => tidy(m.condition[n])), tidy(m.setPoints?.PFO ?? pfoFlow(m.condition)), RESIDENCE_TIMES, 0];
  });
  // The published layout when every row has Abs300nm and PLA; a lab without them (a test function) gets its objective.
  const published = done.every((e) => typeof e.measurement!.outcomes.abs300 === "number" && typeof e.measurement!.outcomes.pla === "number");
  const outputRows = done.map((e) => (published ? [e.measurement!.outcomes.abs300, e.measurement!.outcomes.pla] : [e.measurement!.objective]));
  assertFiniteResult({ inputs: inputRows, outputs: outputRows }, `the campaign data in ${dir}`);
  mkdirSync(dir, { recursive: true });
  const inputs = join(dir, "inputs.csv");
  const outputs = join(dir, "outputs.csv");
  writeFileSync(inputs, formatCsv(INPUTS_CSV_HEADER, inputRows));
  writeFileSync(outputs, formatCsv(published ? OUTPUTS_CSV_HEADER : ["objective"], outputRows));
  return { inputs, outputs, rows: done.length };
}

/** 12 significant digits: drops binary noise such as 251.32999999999998 (flows are set to far less precision). */
function tidy(v: number): number {
  return Number(v.toPrecision(12));
}

/**
 * Write the finished experiments of a campaign on any problem as one CSV,
 * `experiments.csv`: experiment number (1-based, as on screen), phase, the free inputs (the
 * problem's order), fixed inputs, derived set points, the outcomes and the objective (in
 * its own orientation; the column is named "objective" when the objective is an outcome).
 * The columns carry the problem's names, so the file reads back with `--data experiments.csv`.
 * `onlyLab` leaves out rows copied from a data set.
 * @returns the path written and the number of rows.
 */
export function exportProblemCsv(
  experiments: readonly ExperimentRecord[],
  problem: Problem,
  dir: string,
  options: { onlyLab?: boolean } = {},
): { experiments: string; rows: number } {
  const done = experiments.filter((e) => e.status === "done" && e.measurement && (!options.onlyLab || e.source === "lab"));
  const inputs = [...problem.space.inputs.map((s) => s.name), ...problem.fixed.map((f) => f.name)];
  const setPoints = problem.derived.map((d) => d.name);
  const outcomes = problem.outcomes.map((o) => o.name);
  const objectiveColumn = [...inputs, ...setPoints, ...outcomes].includes(problem.objective.name) ? "objective" : problem.objective.name;
  const header = ["experiment", "phase", ...inputs, ...setPoints, ...outcomes, objectiveColumn];
  const rows = done.map((e) => {
    const m = e.measurement!;
    return [
      e.index + 1,
      e.phase,
      ...inputs.map((n) => tidy(m.condition[n])),
      ...setPoints.map((n) => tidy(m.setPoints?.[n] ?? NaN)),
      // An optional outcome the lab did not report stays empty.
      ...outcomes.map((n) => (typeof m.outcomes[n] === "number" ? m.outcomes[n] : "")),
      m.objective,
    ];
  });
  assertFiniteResult(
    rows.map((r) => r.filter((v) => typeof v === "number")),
    `the campaign data in ${dir}`,
  );
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "experiments.csv");
  writeFileSync(file, formatCsv(header, rows));
  return { experiments: file, rows: done.length };
}
