import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatCsv } from "../core/csv.js";
import { INPUT_NAMES } from "../twin/space.js";
import type { ExperimentRecord } from "../bo/campaign/journal.js";

/** Header of inputs.csv in the published layout (eight columns). */
export const INPUTS_CSV_HEADER = [...INPUT_NAMES, "PFO", "# res. t", "washing"] as const;
/** Header of outputs.csv in the published layout. */
export const OUTPUTS_CSV_HEADER = ["Abs300nm", "PLA"] as const;

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
    return [...INPUT_NAMES.map((n) => tidy(m.condition[n])), tidy(m.setPoints?.PFO ?? NaN), RESIDENCE_TIMES, 0];
  });
  const outputRows = done.map((e) => [e.measurement!.outcomes.abs300, e.measurement!.outcomes.pla]);
  mkdirSync(dir, { recursive: true });
  const inputs = join(dir, "inputs.csv");
  const outputs = join(dir, "outputs.csv");
  writeFileSync(inputs, formatCsv(INPUTS_CSV_HEADER, inputRows));
  writeFileSync(outputs, formatCsv(OUTPUTS_CSV_HEADER, outputRows));
  return { inputs, outputs, rows: done.length };
}

/** 12 significant digits: drops binary noise such as 251.32999999999998 (flows are set to far less precision). */
function tidy(v: number): number {
  return Number(v.toPrecision(12));
}
