import { join } from "node:path";
import { readCsv } from "../../src/core/csv.js";
import { findDataRoot } from "../../src/twin/dataPaths.js";
import type { Twin } from "../../src/twin/twin.js";

/**
 * Worst relative error of a twin's predictions against the published
 * twins/chem1_predictions.csv over every row and every summary column, and the row count.
 */
export function worstErrorAgainstPublishedPredictions(twin: Twin): { worst: number; rows: number } {
  const tab = readCsv(join(findDataRoot(), "twins/chem1_predictions.csv"));
  const p = twin.predict(tab.rows.map((r) => r.cells.slice(0, 5).map(Number)));
  const cols = ["absMean", "absStd", "plaMean", "plaStd", "plqyMean", "plqyStd"] as const;
  let worst = 0;
  tab.rows.forEach((r, i) =>
    cols.forEach((c, j) => {
      const ref = Number(r.cells[5 + j]);
      worst = Math.max(worst, Math.abs(p[c][i] - ref) / Math.abs(ref));
    }),
  );
  return { worst, rows: tab.rows.length };
}
