import { Rng } from "../core/rng.js";
import type { Dataset } from "./dataset.js";
import { CascadeEnsembleTwin } from "./cascadeEnsemble.js";
import { calibration, rSquared, type Calibration } from "./metrics.js";
import { trainEnsemble, type EnsembleOptions } from "./enn/trainEnsemble.js";

/** Out-of-fold accuracy of k-fold cross-validation. */
export interface CrossValidation {
  folds: number;
  abs_r2: number;
  pla_r2: number;
  plqy_r2: number;
  calibration: Calibration;
  /** PLQY R^2 of each fold's held-out rows. */
  foldPlqyR2: number[];
  seconds: number;
}

/**
 * k-fold cross-validation: rows are shuffled (seeded) into k folds; for each fold an
 * ensemble is trained on the others (with its own early-stopping split) and predicts
 * the held-out fold. Metrics are over all out-of-fold predictions.
 */
export async function crossValidate(ds: Dataset, k: number, opts: EnsembleOptions = {}, onFold?: (fold: number) => void): Promise<CrossValidation> {
  const t0 = performance.now();
  const n = ds.X.length;
  if (!Number.isInteger(k) || k < 2 || k > n) throw new RangeError(`folds must be an integer from 2 to ${n}, got ${k}`);
  const order = new Rng((opts.seed ?? 0) ^ 0x5eed).shuffle(Array.from({ length: n }, (_, i) => i));
  const mean = { abs: new Float64Array(n), pla: new Float64Array(n), plqy: new Float64Array(n), plqyStd: new Float64Array(n) };
  const foldPlqyR2: number[] = [];
  for (let f = 0; f < k; f++) {
    onFold?.(f);
    const held = order.filter((_, i) => i % k === f);
    const keep = order.filter((_, i) => i % k !== f);
    const trained = await trainEnsemble(
      { X: keep.map((r) => ds.X[r]), abs: keep.map((r) => ds.abs[r]), pla: keep.map((r) => ds.pla[r]) },
      { ...opts, seed: (opts.seed ?? 0) + 1000 * (f + 1) },
    );
    const p = new CascadeEnsembleTwin(trained.spec).predict(held.map((r) => ds.X[r]));
    held.forEach((r, i) => {
      mean.abs[r] = p.absMean[i];
      mean.pla[r] = p.plaMean[i];
      mean.plqy[r] = p.plqyMean[i];
      mean.plqyStd[r] = p.plqyStd[i];
    });
    foldPlqyR2.push(
      rSquared(
        held.map((r) => ds.plqy[r]),
        p.plqyMean,
      ),
    );
  }
  return {
    folds: k,
    abs_r2: rSquared(ds.abs, mean.abs),
    pla_r2: rSquared(ds.pla, mean.pla),
    plqy_r2: rSquared(ds.plqy, mean.plqy),
    calibration: calibration(ds.plqy, mean.plqy, mean.plqyStd),
    foldPlqyR2,
    seconds: (performance.now() - t0) / 1000,
  };
}
