import type { ExperimentRecord, FitRecord } from "../bo/campaign/journal.js";
import { choleskyInverse, choleskySolve, choleskyWithJitter } from "../bo/gp/cholesky.js";
import { logMarginalLikelihood } from "../bo/gp/hyperopt.js";
import { matern52, scaledDistance } from "../bo/gp/matern.js";
import { CLASSIC_PRIORS, DIMENSION_SCALED_PRIORS } from "../bo/gp/priors.js";
import { fitLinearTrend, trendAt } from "../bo/gp/linearTrend.js";
import { normalize, toArray, type SearchSpace } from "../bo/problem/space.js";

/** One input's fitted ARD length scale. */
export interface GpLengthScale {
  input: string;
  unit: string;
  /** In the input's own unit: unit-cube length scale x (upper - lower bound). */
  value: number;
  /** On the unit cube the GP works on (1 = the input's whole range). */
  unitCube: number;
}

/** A Gaussian-process fit as stored in a campaign store's surrogate_fits, in physical units. */
export interface GpFitView {
  /** Store index of the experiment proposed after this fit (0-based). */
  index: number;
  /** Observations the GP was fitted to. */
  n: number;
  kernel: string;
  priorMean: string;
  priors: string;
  /** "estimated" or "fixed" (declared with --noise-sd). */
  noiseMode: string;
  /** Observation-noise standard deviation, objective units. */
  noiseSd: number;
  /** Kernel signal standard deviation, objective units. */
  signalSd: number;
  lengthScales: GpLengthScale[];
  /** Log marginal likelihood plus log prior of the hyperparameters (the MAP objective), on standardised outputs. */
  logMarginalLikelihood: number;
  seconds: number;
  warnings: string[];
  /** Stored hyperparameters as the GP used them (unit cube, objective units). */
  raw: { lengthscales: number[]; outputscale: number; noiseVariance: number; jitter: number };
}

/** Leave-one-out predictions of a GP fit with its hyperparameters held (closed form). */
export interface GpLeaveOneOut {
  /** Store indices of the observations, in fit order. */
  index: number[];
  measured: number[];
  /** LOO predictive mean and std (noise included), objective units. */
  predicted: number[];
  std: number[];
  rmse: number;
  /** 1 - SSE / SS about the mean of the measured values. */
  r2: number;
  /** Fraction of measured values within 2 LOO std of the prediction. */
  within2Sd: number;
}

/** The stored fits that are Gaussian processes (sdfl's GpSurrogate: kernel matern52-ard with length scales), as views. */
export function gpFitViews(fits: readonly FitRecord[], space: SearchSpace): GpFitView[] {
  const d = space.inputs.length;
  const out: GpFitView[] = [];
  for (const f of fits) {
    const m = f.meta as Record<string, unknown>;
    const ls = m.lengthscales;
    if (m.kernel !== "matern52-ard" || !Array.isArray(ls) || ls.length !== d) continue;
    const num = (v: unknown): number => (typeof v === "number" ? v : NaN);
    out.push({
      index: f.index,
      n: num(m.n),
      kernel: String(m.kernel),
      priorMean: String(m.priorMean ?? "constant"),
      priors: String(m.priors ?? "classic"),
      noiseMode: String(m.noise ?? "estimated"),
      noiseSd: Math.sqrt(num(m.noiseVariance)),
      signalSd: Math.sqrt(num(m.outputscale)),
      lengthScales: space.inputs.map((s, k) => ({ input: s.name, unit: s.unit ?? "", unitCube: num(ls[k]), value: num(ls[k]) * (s.bounds[1] - s.bounds[0]) })),
      logMarginalLikelihood: num(m.logMarginalLikelihood),
      seconds: f.seconds,
      warnings: f.warnings,
      raw: { lengthscales: ls.map(num), outputscale: num(m.outputscale), noiseVariance: num(m.noiseVariance), jitter: num(m.jitter) },
    });
  }
  return out;
}

/**
 * Leave-one-out check of a stored GP fit: rebuilds the fit's data (the campaign's measured
 * experiments before `fit.index`), standardises it as the GP did, and checks the rebuild by
 * recomputing the stored MAP objective; then the closed-form LOO mean y_i - alpha_i / [K^-1]_ii
 * and variance 1 / [K^-1]_ii. Hyperparameters (and a linear prior mean) stay as fitted on all
 * points, so this is slightly optimistic. Returns a reason instead when the data cannot be
 * rebuilt exactly (a store of another version, pending points).
 */
export function gpLeaveOneOut(fit: GpFitView, experiments: readonly ExperimentRecord[], space: SearchSpace): GpLeaveOneOut | { unavailable: string } {
  const rows = experiments
    .filter((e) => e.index < fit.index && e.status === "done" && e.measurement && Number.isFinite(e.measurement.objective))
    .sort((a, b) => a.index - b.index);
  if (rows.length !== fit.n || rows.length < 3)
    return { unavailable: `the fit saw ${fit.n} observations, the store has ${rows.length} measured experiments before experiment ${fit.index + 1}` };
  const d = space.inputs.length;
  const n = rows.length;
  const X = Float64Array.from(rows.flatMap((e) => normalize(space, toArray(space, e.measurement!.condition))));
  const yRaw = rows.map((e) => e.measurement!.objective);
  const mean = yRaw.reduce((a, b) => a + b, 0) / n;
  const scale = Math.sqrt(yRaw.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) || 1;
  const y = Float64Array.from(yRaw, (v) => (v - mean) / scale);
  const trend = fit.priorMean === "linear" && n > d + 1 ? fitLinearTrend(X, y, d) : undefined;
  if (trend) for (let i = 0; i < n; i++) y[i] -= trendAt(trend, X, i, d);
  const s2 = fit.raw.outputscale / (scale * scale);
  const noise = fit.raw.noiseVariance / (scale * scale);
  const theta = [...fit.raw.lengthscales.map(Math.log), Math.log(s2), Math.log(noise)];
  const priors = fit.priors === "dimension-scaled" ? DIMENSION_SCALED_PRIORS : CLASSIC_PRIORS;
  const lml = logMarginalLikelihood(X, y, d, theta, priors).value;
  if (!(Math.abs(lml - fit.logMarginalLikelihood) <= 1e-6 * Math.max(1, Math.abs(fit.logMarginalLikelihood))))
    return {
      unavailable: `the rebuilt data do not reproduce the stored fit (log marginal likelihood ${lml.toFixed(4)} vs ${fit.logMarginalLikelihood.toFixed(4)})`,
    };
  const invL = Float64Array.from(fit.raw.lengthscales, (l) => 1 / l);
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) K[i * n + j] = K[j * n + i] = s2 * matern52(scaledDistance(X, i, X, j, invL));
    K[i * n + i] += noise;
  }
  const chol = choleskyWithJitter(K, n);
  if (!chol) return { unavailable: "the covariance matrix of the stored fit could not be factorised" };
  const alpha = choleskySolve(chol.L, n, y);
  const Kinv = choleskyInverse(chol.L, n);
  const predicted: number[] = [];
  const std: number[] = [];
  for (let i = 0; i < n; i++) {
    const kii = Kinv[i * n + i];
    const loo = y[i] - alpha[i] / kii + (trend ? trendAt(trend, X, i, d) : 0);
    predicted.push(mean + scale * loo);
    std.push(scale * Math.sqrt(1 / kii));
  }
  const sse = yRaw.reduce((a, v, i) => a + (v - predicted[i]) ** 2, 0);
  const sst = yRaw.reduce((a, v) => a + (v - mean) ** 2, 0);
  return {
    index: rows.map((e) => e.index),
    measured: yRaw,
    predicted,
    std,
    rmse: Math.sqrt(sse / n),
    r2: sst > 0 ? 1 - sse / sst : NaN,
    within2Sd: yRaw.filter((v, i) => Math.abs(v - predicted[i]) <= 2 * std[i]).length / n,
  };
}
