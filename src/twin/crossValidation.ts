import { Rng } from "../core/rng.js";
import type { Dataset } from "./dataset.js";
import { CascadeEnsembleTwin, networkInputs } from "./cascadeEnsemble.js";
import { extrapolationSqs, trainingRange } from "./extrapolation.js";
import { fitCalibratedModel, type PredictiveCalibration } from "./calibration.js";
import { calibration, rSquared, type Calibration } from "./metrics.js";
import { trainEnsemble, type EnsembleOptions } from "./enn/trainEnsemble.js";
import type { OutOfBagResidual } from "./outOfBagCalibration.js";

/** How rows are put into folds: seeded shuffle (default) or contiguous blocks in file order. */
export type FoldOrder = "shuffled" | "file";

/** Out-of-fold accuracy of k-fold cross-validation. */
export interface CrossValidation {
  folds: number;
  abs_r2: number;
  pla_r2: number;
  plqy_r2: number;
  /** Coverage and NLL of the PLQY predictive std (the twins' calibrated uncertainty). */
  calibration: Calibration;
  /** The same for the raw member spread (uncalibrated). */
  rawCalibration: Calibration;
  /** PLQY R^2 of each fold's held-out rows. */
  foldPlqyR2: number[];
  /** Training seconds of each fold's ensemble. */
  foldSeconds: number[];
  /**
   * Per row (dataset order), the out-of-fold prediction: PLQY mean, member std and
   * predictive std; the measured PLQY; the fold that held it out; and the squared distance
   * in the first input (T) to the nearest training row, as a fraction of the input's range;
   * and the squared extrapolation distance e^2 outside the range of the fold's training rows
   * in network inputs (extrapolation.ts; 0 inside).
   */
  oof: { plqy: number[]; mean: number[]; memberStd: number[]; predStd: number[]; fold: number[]; gapSq: number[]; e2: number[] };
  /**
   * A variance model per output fitted on these out-of-fold residuals against the raw
   * member variance (what `twin train --cv` stores in the twin).
   */
  cvCalibration: PredictiveCalibration;
  /**
   * Per fold: the out-of-bag PLQY residuals its ensemble was calibrated on, with `row` the
   * dataset row (for studying calibration methods; benchmarks/twin-cv.ts --dump).
   */
  foldOutOfBag: OutOfBagResidual[][];
  seconds: number;
}

/** The k folds of n rows: a seeded shuffle, row order[i] goes to fold i mod k. */
export function foldsOf(n: number, k: number, seed: number, order: FoldOrder = "shuffled"): number[][] {
  // "file": k contiguous blocks in row order (an unshuffled k-fold, as scikit-learn's KFold does
  // by default); the published LHS files are sorted by temperature, so each fold is a T band.
  if (order === "file") return Array.from({ length: k }, (_, f) => Array.from({ length: n }, (_, i) => i).filter((i) => Math.floor((i * k) / n) === f));
  const shuffled = new Rng(seed ^ 0x5eed).shuffle(Array.from({ length: n }, (_, i) => i));
  return Array.from({ length: k }, (_, f) => shuffled.filter((_, i) => i % k === f));
}

/**
 * k-fold cross-validation: rows are shuffled (seeded) into k folds; for each fold an
 * ensemble is trained on the others (with its own stopping rows and calibration) and
 * predicts the held-out fold. Metrics are over all out-of-fold predictions (pooled).
 */
export async function crossValidate(
  ds: Dataset,
  k: number,
  opts: EnsembleOptions = {},
  onFold?: (fold: number) => void,
  order: FoldOrder = "shuffled",
): Promise<CrossValidation> {
  const t0 = performance.now();
  const n = ds.X.length;
  if (!Number.isInteger(k) || k < 2 || k > n) throw new RangeError(`folds must be an integer from 2 to ${n}, got ${k}`);
  const folds = foldsOf(n, k, opts.seed ?? 0, order);
  const z = () => new Array<number>(n).fill(NaN);
  const o = { abs: z(), pla: z(), plqy: z(), plqyStd: z(), plqyPred: z(), absVar: z(), plaVar: z(), fold: z(), gapSq: z(), e2: z() };
  const foldPlqyR2: number[] = [];
  const foldSeconds: number[] = [];
  const foldOutOfBag: OutOfBagResidual[][] = [];
  for (let f = 0; f < k; f++) {
    onFold?.(f);
    const held = folds[f];
    const keep = folds.filter((_, g) => g !== f).flat();
    const trained = await trainEnsemble(
      { X: keep.map((r) => ds.X[r]), abs: keep.map((r) => ds.abs[r]), pla: keep.map((r) => ds.pla[r]) },
      { ...opts, seed: (opts.seed ?? 0) + 1000 * (f + 1) },
    );
    foldSeconds.push(trained.info.seconds);
    foldOutOfBag.push((trained.outOfBag?.plqy ?? []).map((r) => ({ ...r, row: keep[r.row] })));
    const p = new CascadeEnsembleTwin(trained.spec).predict(held.map((r) => ds.X[r]));
    // Extrapolation distance of each held-out row from this fold's training rows (network inputs).
    const zKeep = networkInputs(
      trained.spec,
      keep.map((r) => ds.X[r]),
    );
    const zHeld = networkInputs(
      trained.spec,
      held.map((r) => ds.X[r]),
    );
    const e2 = extrapolationSqs(trainingRange(zKeep, keep.length, trained.spec.inputs.length), zHeld, held.length);
    held.forEach((r, i) => {
      o.abs[r] = p.absMean[i];
      o.pla[r] = p.plaMean[i];
      o.plqy[r] = p.plqyMean[i];
      o.plqyStd[r] = p.plqyStd[i];
      o.plqyPred[r] = p.plqyPredStd[i];
      o.absVar[r] = p.absStd[i] ** 2;
      o.plaVar[r] = p.plaStd[i] ** 2;
      o.fold[r] = f;
      o.e2[r] = e2[i];
      const range = trained.spec.inputBounds[0][1] - trained.spec.inputBounds[0][0];
      o.gapSq[r] = Math.min(...keep.map((j) => Math.abs(ds.X[r][0] - ds.X[j][0]) / range)) ** 2;
    });
    foldPlqyR2.push(
      rSquared(
        held.map((r) => ds.plqy[r]),
        p.plqyMean,
      ),
    );
  }
  const fit = (y: readonly number[], mean: number[], v: number[]) =>
    fitCalibratedModel(y.map((t, i) => ({ residual: t - mean[i], mean: mean[i], memberVar: v[i], extraVar: 0 })));
  return {
    folds: k,
    abs_r2: rSquared(ds.abs, o.abs),
    pla_r2: rSquared(ds.pla, o.pla),
    plqy_r2: rSquared(ds.plqy, o.plqy),
    calibration: calibration(ds.plqy, o.plqy, o.plqyPred),
    rawCalibration: calibration(ds.plqy, o.plqy, o.plqyStd),
    foldPlqyR2,
    foldSeconds,
    oof: { plqy: [...ds.plqy], mean: o.plqy, memberStd: o.plqyStd, predStd: o.plqyPred, fold: o.fold, gapSq: o.gapSq, e2: o.e2 },
    cvCalibration: {
      method: `cross-validation (${k} folds)`,
      rows: n,
      abs: fit(ds.abs, o.abs, o.absVar),
      pla: fit(ds.pla, o.pla, o.plaVar),
      plqy: fit(
        ds.plqy,
        o.plqy,
        o.plqyStd.map((s) => s * s),
      ),
    },
    foldOutOfBag,
    seconds: (performance.now() - t0) / 1000,
  };
}
