import type { Dataset } from "./dataset.js";
import { calibration, rSquared, type Calibration } from "./metrics.js";
import type { Twin, TwinPosterior } from "./twin.js";

/** R^2 of the ensemble means on a set of rows, plus calibration of the PLQY spread. */
export interface SetAccuracy {
  n: number;
  abs_r2: number;
  pla_r2: number;
  plqy_r2: number;
  /** Coverage and NLL of the PLQY predictive std (the twin's calibrated uncertainty). */
  calibration: Calibration;
  /** The same for the raw member spread. */
  rawCalibration: Calibration;
}

/** Accuracy on the training rows, the validation rows and all rows of a dataset. */
export interface AccuracyReport {
  train?: SetAccuracy;
  validation?: SetAccuracy;
  all: SetAccuracy;
}

/** Accuracy of posterior `p` (predicted at the dataset rows `rows`) against the measurements. */
export function setAccuracy(ds: Pick<Dataset, "abs" | "pla" | "plqy">, p: TwinPosterior, rows: readonly number[]): SetAccuracy {
  const pick = (a: readonly number[]): number[] => rows.map((r) => a[r]);
  const plqy = pick(ds.plqy);
  return {
    n: rows.length,
    abs_r2: rSquared(pick(ds.abs), p.absMean),
    pla_r2: rSquared(pick(ds.pla), p.plaMean),
    plqy_r2: rSquared(plqy, p.plqyMean),
    calibration: calibration(plqy, p.plqyMean, p.plqyPredStd),
    rawCalibration: calibration(plqy, p.plqyMean, p.plqyStd),
  };
}

/**
 * The accuracy report of a twin on a dataset. With a split (the twin's own, when it was
 * trained on this dataset) train and validation are reported separately.
 */
export function accuracyReport(twin: Twin, ds: Dataset, split?: { train: number[]; validation: number[] }): AccuracyReport {
  const all = ds.X.map((_, i) => i);
  const at = (rows: number[]): SetAccuracy => setAccuracy(ds, twin.predict(rows.map((r) => ds.X[r])), rows);
  const report: AccuracyReport = { all: at(all) };
  if (split && split.validation.length > 0 && split.train.every((r) => r < ds.X.length) && split.validation.every((r) => r < ds.X.length)) {
    report.train = at(split.train);
    report.validation = at(split.validation);
  }
  return report;
}
