import { cellColumn, formatCsv, parseNumberCell, readCsv } from "../core/csv.js";
import { DataError } from "../core/errors.js";
import { requireColumns } from "./dataset.js";
import { DEFAULT_SPACE, INPUT_NAMES } from "./space.js";
import type { TwinPosterior } from "./twin.js";

/** Columns of `sdfl twin predict` output. */
export const PREDICTION_COLUMNS = [
  ...INPUT_NAMES,
  "abs_mean",
  "abs_std",
  "pla_mean",
  "pla_std",
  "plqy_mean",
  "plqy_std",
  "abs_pred_std",
  "pla_pred_std",
  "plqy_pred_std",
] as const;

/**
 * Read the five inputs (T, CuI, ZnI2, CsOA, ODE; other columns ignored) of every row of
 * a CSV with a header. Values outside the twin's input bounds are a {@link DataError}:
 * a twin is not valid outside the region it was trained on.
 */
export function readPredictionInputs(file: string, bounds: readonly (readonly [number, number])[]): number[][] {
  const table = readCsv(file);
  const cols = requireColumns(table, [...INPUT_NAMES]);
  if (table.rows.length === 0) throw new DataError({ file }, "no data rows after the header", "add one row per condition to predict");
  return table.rows.map((row, r) =>
    cols.map((c, k) => {
      const spec = DEFAULT_SPACE.inputs[k];
      const v = parseNumberCell(table, r, c, spec.name, spec.unit);
      const [lo, hi] = bounds[k];
      if (v < lo - 1e-9 || v > hi + 1e-9) {
        throw new DataError(
          { file, line: row.line, column: cellColumn(row.cells, c), field: spec.name },
          `${spec.name} = ${v} ${spec.unit} is outside the twin's input range ${lo} to ${hi} ${spec.unit}`,
          "the twin was trained inside this range and cannot be trusted outside it; correct or remove the row",
        );
      }
      return v;
    }),
  );
}

/**
 * The prediction CSV text: inputs, then mean and std (n-1) over members of Abs300nm, PLA
 * and PLQY, then the predictive std of each (the twin's calibrated uncertainty of the
 * mean, member spread and measurement noise together; the member std for uncalibrated twins).
 */
export function formatPredictions(points: readonly (readonly number[])[], p: TwinPosterior): string {
  return formatCsv(
    PREDICTION_COLUMNS,
    points.map((x, i) => [
      ...x,
      p.absMean[i],
      p.absStd[i],
      p.plaMean[i],
      p.plaStd[i],
      p.plqyMean[i],
      p.plqyStd[i],
      p.absPredStd[i],
      p.plaPredStd[i],
      p.plqyPredStd[i],
    ]),
  );
}
