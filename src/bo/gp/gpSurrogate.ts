import { SdflError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import type { CrossCovariance, JointSampler, Observations, Posterior, PosteriorGradient, Surrogate, SurrogateFitInfo } from "../surrogate.js";
import { gpJointSampler } from "./jointSampler.js";
import { choleskyWithJitter } from "./cholesky.js";
import { GpModel, type GpHyperparameters } from "./gp.js";
import { fitHyperparameters } from "./hyperopt.js";
import { CLASSIC_PRIORS, DIMENSION_SCALED_PRIORS } from "./priors.js";
import { noiseVariance, relativeNoiseModel, shapedNoiseModel, type NoiseLevel } from "../noiseLevel.js";
import { fitLinearTrend, trendAt, type LinearTrend } from "./linearTrend.js";
import { warpPoints } from "./warp.js";
import type { KernelName } from "./matern.js";

/** Whose additive-part choice a GP follows (`additiveKernel`): a GpSurrogate fitted to the same data first. */
export interface AdditiveChoice {
  /** True when the last fit's kernel has the additive part. */
  readonly additiveKept: boolean;
}

export interface GpSurrogateOptions {
  /** Random restarts of the hyperparameter search (besides the default and warm starts). Default 3. */
  restarts?: number;
  /** Iterations per start. Default 80. */
  maxIterations?: number;
  /** Reuse the previous fit's hyperparameters as an extra start. Default true. */
  warmStart?: boolean;
  /** Hyperparameter priors: "classic" (default) or "dimension-scaled". */
  priors?: "classic" | "dimension-scaled";
  /**
   * Known observation-noise variance in objective units squared (e.g. (0.04 * 0.2)^2 for
   * 4 % noise at PLQY 0.2), fixed instead of estimated. Must be > 0. Default: estimated.
   */
  fixedNoiseVariance?: number;
  /** Declared noise level (absolute or relative to the readings), fixed at each fit; overrides fixedNoiseVariance. Default: estimated. */
  noise?: NoiseLevel;
  /**
   * How a declared RELATIVE noise level becomes noise variances: "pooled" = one variance
   * for all observations, (sd x mean |reading|)^2 (too small at the top, too large at the
   * bottom); "reading" = per observation, sd^2 (reading_i^2 + (0.02 max |reading|)^2)
   * ({@link relativeNoiseModel}); "smoothed" = the same with the posterior mean at the
   * observed point of a first "reading" fit in place of the reading (a second fit, warm
   * started from the first). Default "pooled".
   */
  relativeNoiseLevels?: "pooled" | "reading" | "smoothed";
  /**
   * Estimated noise only (none declared, not `relativeNoise`): after the usual fit with one
   * noise variance, redistribute that variance over the observations in proportion to the
   * square of the fit's smoothed value at each ({@link shapedNoiseModel}: same mean
   * variance, none above 9 x the pooled one) and refit the kernel with those variances
   * fixed. Relative noise without a free relative parameter, so large readings cannot be
   * explained as noise beyond what the pooled fit allowed. Default false.
   */
  shapedNoise?: boolean;
  /** Kernel family: "matern52" (default) or "matern32" (once differentiable: sharper, kinked peaks). */
  kernel?: KernelName;
  /**
   * Prior mean: "constant" (default) or "linear" (a ridge least-squares linear trend, the
   * GP modelling the residuals), which extrapolates monotone trends to the box's faces and
   * corners instead of reverting to the data's mean there.
   */
  mean?: "constant" | "linear";
  /**
   * With `mean: "linear"`: fit the trend only from this many observations per input on
   * (n >= trendMinPerInput x d; below, the constant mean). A least-squares trend from a
   * few noisy points in 5 inputs is mostly noise, and a GP that extrapolates it sends the
   * experiments to the box face it points at; 10 per input is the usual size of a design
   * for a first GP fit (Loeppky, Sacks and Welch 2009). Default 0 (from d + 2 points on).
   */
  trendMinPerInput?: number;
  /**
   * Estimate, besides the constant noise variance, a part proportional to the squared
   * reading (relative noise, as a lab's measurement noise usually is: 4 % of a large
   * reading is more than 4 % of a small one). Both parts are fitted by marginal
   * likelihood, so data with constant noise drive the proportional part to ~0. Ignored
   * when the noise is declared. Default false (one constant noise variance).
   */
  relativeNoise?: boolean;
  /**
   * Warp each input through a Kumaraswamy CDF whose two concentrations are fitted with the
   * other hyperparameters (warp.ts): short length scales where the objective changes fast,
   * long ones elsewhere. Not with `mean: "linear"`. Default false.
   */
  warp?: boolean;
  /**
   * Add a linear part to the kernel, `v (x - 0.5) . (x' - 0.5)` on the unit cube: a Bayesian
   * linear trend whose slope variance v is fitted by marginal likelihood with the other
   * hyperparameters. Unlike `mean: "linear"` (a fixed least-squares trend), the posterior
   * keeps the slopes' uncertainty, which grows towards the box's faces and corners, and data
   * without a trend switch it off. Not with `warp`. Default false.
   */
  linearKernel?: boolean;
  /**
   * Add an additive part to the kernel, `v / d * sum_c k(|x_c - x'_c| / l'_c)`: effects of
   * single inputs that hold across the box (as in separable responses such as
   * Styblinski-Tang), fitted by marginal likelihood with the joint ARD part, which keeps the
   * interactions. d + 1 more hyperparameters. "auto": fit the GP with and without it and
   * keep the one whose observations are better predicted by the others (leave-one-out log
   * predictive density, {@link GpModel.looLogPredictive}). An {@link AdditiveChoice} (e.g.
   * another GpSurrogate): use the additive part when its last fit kept one, so a second GP on
   * the same data follows the first's choice without paying for it again. Not with `warp`.
   * Default false.
   */
  additiveKernel?: boolean | "auto" | AdditiveChoice;
  /**
   * With `additiveKernel: "auto"`: keep the additive part only when its leave-one-out log
   * predictive density beats the GP without it by more than this many nats per
   * observation. Leave-one-out scores of misspecified models are noisy; a margin keeps the
   * additive part for responses that are clearly separable. Default 0.
   */
  additiveMargin?: number;
  /**
   * With `additiveKernel: "auto"`: consider the additive part only from this many
   * observations per input on (n >= additiveMinPerInput x d; below, the GP without it).
   * Default 0.
   */
  additiveMinPerInput?: number;
}

/** Options without a default value: absent means "not used". */
type OptionalGpOption =
  | "fixedNoiseVariance"
  | "noise"
  | "mean"
  | "relativeNoise"
  | "warp"
  | "relativeNoiseLevels"
  | "shapedNoise"
  | "kernel"
  | "linearKernel"
  | "additiveKernel"
  | "additiveMargin"
  | "additiveMinPerInput"
  | "trendMinPerInput";

interface Standardisation {
  mean: number;
  scale: number;
  /** Largest |reading| (objective units): the reading whose noise weight is 1, with relative noise. */
  noiseRef?: number;
  /** Linear prior mean in standardised units, when the GP has one. */
  trend?: LinearTrend;
}

/**
 * Gaussian-process surrogate: ARD Matern 5/2 on the unit cube, outputs standardised to
 * zero mean and unit variance, Gaussian noise, MAP hyperparameters with restarts.
 * Posterior moments are of the latent objective (noise excluded), in objective units.
 */
export class GpSurrogate implements Surrogate {
  readonly name = "gp";
  private model: GpModel | null = null;
  private std: Standardisation = { mean: 0, scale: 1 };
  private readonly options: Required<Omit<GpSurrogateOptions, OptionalGpOption>> & Pick<GpSurrogateOptions, OptionalGpOption>;
  private lastHp: GpHyperparameters | undefined;
  private lastAdditiveHp: GpHyperparameters | undefined;

  constructor(options: GpSurrogateOptions = {}) {
    this.options = {
      restarts: options.restarts ?? 3,
      maxIterations: options.maxIterations ?? 80,
      warmStart: options.warmStart ?? true,
      priors: options.priors ?? "classic",
      fixedNoiseVariance: options.fixedNoiseVariance,
      noise: options.noise,
      mean: options.mean,
      trendMinPerInput: options.trendMinPerInput,
      relativeNoise: options.relativeNoise,
      warp: options.warp,
      relativeNoiseLevels: options.relativeNoiseLevels,
      shapedNoise: options.shapedNoise,
      kernel: options.kernel,
      linearKernel: options.linearKernel,
      additiveKernel: options.additiveKernel,
      additiveMargin: options.additiveMargin,
      additiveMinPerInput: options.additiveMinPerInput,
    };
    if (options.warp && options.mean === "linear")
      throw new SdflError("the GP's input warp and its linear prior mean cannot be combined", 'choose warp or mean: "linear", not both');
    if (options.warp && (options.linearKernel || options.additiveKernel))
      throw new SdflError(
        `the GP's input warp and the ${options.linearKernel ? "linear" : "additive"} part of its kernel cannot be combined`,
        `choose warp or ${options.linearKernel ? "linearKernel" : "additiveKernel"}, not both`,
      );
    const v = options.fixedNoiseVariance;
    if (v !== undefined && !(v > 0 && Number.isFinite(v)))
      throw new SdflError(
        `GP fixedNoiseVariance = ${v} must be a finite number > 0`,
        "give the noise variance in objective units squared, or leave it out to estimate it",
      );
  }

  /** True when the fitted kernel has the additive part (chosen, fixed or followed). */
  get additiveKept(): boolean {
    return this.model?.hp.additive !== undefined;
  }

  /** The fitted hyperparameters (standardised units), for inspection. */
  get hyperparameters(): GpHyperparameters | undefined {
    return this.model?.hp;
  }

  async fit(data: Observations, rng: Rng): Promise<SurrogateFitInfo> {
    const t0 = performance.now();
    const n = data.y.length;
    if (n === 0) throw new SdflError("the Gaussian process needs at least one observation", "run an initial design first");
    const d = data.X[0].length;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(data.y[i]) || data.X[i].length !== d || data.X[i].some((v) => !Number.isFinite(v))) {
        throw new SdflError(`observation ${i + 1} is not finite or has the wrong number of inputs`, "remove failed experiments (NaN objective) before fitting");
      }
    }
    const mean = data.y.reduce((a, b) => a + b, 0) / n;
    const variance = n > 1 ? data.y.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
    const scale = variance > 0 ? Math.sqrt(variance) : 1;
    const X = Float64Array.from(data.X.flat());
    const y = Float64Array.from(data.y, (v) => (v - mean) / scale);
    const trendFrom = Math.max(d + 2, (this.options.trendMinPerInput ?? 0) * d);
    const trend = this.options.mean === "linear" && n >= trendFrom ? fitLinearTrend(X, y, d) : undefined;
    if (trend) for (let i = 0; i < n; i++) y[i] -= trendAt(trend, X, i, d);
    const declared = this.options.noise;
    const levelsFrom = declared?.kind === "relative" ? (this.options.relativeNoiseLevels ?? "pooled") : "pooled";
    const het = levelsFrom !== "pooled" && declared ? relativeNoiseModel(declared.sd, data.y) : undefined;
    const fixedNoise = het ? het.constant : declared ? noiseVariance(declared, data.y) : this.options.fixedNoiseVariance;
    const noiseRef = het ? het.ref : Math.max(...data.y.map(Math.abs));
    const relative = this.options.relativeNoise === true && fixedNoise === undefined && noiseRef > 0;
    const noiseWeights = het ? het.weights : relative ? Float64Array.from(data.y, (v) => (v / noiseRef) ** 2) : undefined;
    this.std = { mean, scale, trend, ...(relative || het ? { noiseRef } : {}) };
    const s2 = scale * scale;
    const ak = this.options.additiveKernel;
    const additiveFixed = typeof ak === "object" ? ak.additiveKept : ak === true;
    const hyperopt = (
      weights: Float64Array | undefined,
      h: typeof het,
      warmStart: GpHyperparameters | undefined,
      restarts: number,
      additive = additiveFixed,
      warmStartOnly = false,
    ) =>
      fitHyperparameters(X, y, d, rng, {
        noiseWeights: weights,
        warp: this.options.warp === true,
        kernel: this.options.kernel,
        linear: this.options.linearKernel === true,
        additive,
        restarts,
        maxIterations: this.options.maxIterations,
        warmStart,
        warmStartOnly,
        priors: this.options.priors === "dimension-scaled" ? DIMENSION_SCALED_PRIORS : CLASSIC_PRIORS,
        fixedNoise: fixedNoise !== undefined ? (h ? h.constant : fixedNoise) / s2 : undefined,
        ...(h ? { fixedNoiseProportional: h.proportional / s2 } : {}),
      });
    const modelOf = (hp: GpHyperparameters, weights: Float64Array | undefined): GpModel =>
      new GpModel(hp.warp ? warpPoints(X, d, hp.warp.a, hp.warp.b).U : X, y, d, hp, weights);
    let opt = hyperopt(noiseWeights, het, this.options.warmStart ? this.lastHp : undefined, this.options.restarts);
    let weights = noiseWeights;
    let evaluations = opt.evaluations;
    let selection: { additive: boolean; looWith: number; looWithout: number } | undefined;
    if (this.options.additiveKernel === "auto" && n >= (this.options.additiveMinPerInput ?? 0) * d) {
      // Fit with the additive part too and keep whichever predicts left-out observations
      // better (by the margin). That fit has one start, the last additive fit (the first
      // time: this fit's hyperparameters and the additive part's default start), which keeps
      // "auto" cheap; it needs no random draws, so a fit that keeps the GP without the
      // additive part is the fit without "auto", draw for draw.
      const addWarm = this.lastAdditiveHp ?? opt.hp;
      const withAdd = hyperopt(noiseWeights, het, addWarm, 0, true, true);
      evaluations += withAdd.evaluations;
      this.lastAdditiveHp = withAdd.hp;
      const looWithout = modelOf(opt.hp, weights).looLogPredictive();
      const looWith = modelOf(withAdd.hp, weights).looLogPredictive();
      selection = { additive: looWith > looWithout + (this.options.additiveMargin ?? 0), looWith, looWithout };
      if (selection.additive) opt = withAdd;
    }
    if (het && levelsFrom === "smoothed") {
      // Second pass: the noise of each observation from the first fit's smoothed value there.
      const first = modelOf(opt.hp, het.weights);
      const m = first.predictMean(first.X);
      const levels = Array.from(m, (v, i) => mean + scale * (v + (trend ? trendAt(trend, X, i, d) : 0)));
      const het2 = relativeNoiseModel(declared!.sd, levels);
      if (het2) {
        opt = hyperopt(het2.weights, het2, opt.hp, 0, opt.hp.additive !== undefined);
        evaluations += opt.evaluations;
        weights = het2.weights;
        this.std = { ...this.std, noiseRef: het2.ref };
      }
    }
    // The pooled fit is the next fit's warm start (its noise is estimated there too).
    this.lastHp = opt.hp;
    let shaped: ReturnType<typeof shapedNoiseModel>;
    if (this.options.shapedNoise && fixedNoise === undefined && !relative) {
      const first = modelOf(opt.hp, undefined);
      const m = first.predictMean(first.X);
      const levels = Array.from(m, (v, i) => mean + scale * (v + (trend ? trendAt(trend, X, i, d) : 0)));
      shaped = shapedNoiseModel(opt.hp.noise * s2, levels);
      if (shaped) {
        const o2 = fitHyperparameters(X, y, d, rng, {
          noiseWeights: shaped.weights,
          warp: this.options.warp === true,
          kernel: this.options.kernel,
          linear: this.options.linearKernel === true,
          additive: opt.hp.additive !== undefined,
          restarts: 0,
          maxIterations: this.options.maxIterations,
          warmStart: opt.hp,
          priors: this.options.priors === "dimension-scaled" ? DIMENSION_SCALED_PRIORS : CLASSIC_PRIORS,
          fixedNoise: shaped.constant / s2,
          fixedNoiseProportional: shaped.proportional / s2,
        });
        opt = o2;
        evaluations += o2.evaluations;
        weights = shaped.weights;
        this.std = { ...this.std, noiseRef: shaped.ref };
      }
    }
    this.model = modelOf(opt.hp, weights);
    const warnings: string[] = [];
    if (this.model.jitter > 0) {
      warnings.push(
        `GP covariance was numerically singular: added jitter ${this.model.jitter.toExponential(2)} to its diagonal (duplicate or near-duplicate inputs with very low noise)`,
      );
    }
    return {
      seconds: (performance.now() - t0) / 1000,
      warnings,
      meta: {
        kernel: `${this.options.kernel ?? "matern52"}-ard${this.options.linearKernel ? "+linear" : ""}${opt.hp.additive ? "+additive" : ""}`,
        ...(selection ? { additiveSelection: selection } : {}),
        ...(opt.hp.additive ? { additive: { variance: opt.hp.additive.variance * scale * scale, lengthscales: opt.hp.additive.lengthscales } } : {}),
        ...(opt.hp.linear !== undefined ? { linearSlopeVariance: opt.hp.linear * scale * scale } : {}),
        priorMean: trend ? "linear" : "constant",
        ...(trend ? { trendSlope: Array.from(trend.slope, (b) => b * scale) } : {}),
        priors: this.options.priors,
        lengthscales: opt.hp.lengthscales,
        ...(opt.hp.warp ? { warp: opt.hp.warp } : {}),
        outputscale: opt.hp.outputscale * scale * scale,
        noiseVariance: opt.hp.noise * scale * scale,
        noise: shaped
          ? "estimated, pooled then shaped relative to each observation's smoothed value"
          : het
            ? `fixed, relative to each observation's ${levelsFrom === "smoothed" ? "smoothed value" : "reading"}`
            : fixedNoise !== undefined
              ? "fixed"
              : relative
                ? "estimated, constant + relative"
                : "estimated",
        ...(het || shaped ? { noiseSdAtLargest: Math.sqrt((opt.hp.noise + (opt.hp.noiseProportional ?? 0)) * s2) } : {}),
        ...(relative ? { relativeNoiseSd: Math.sqrt((opt.hp.noiseProportional ?? 0) * scale * scale) / noiseRef } : {}),
        logMarginalLikelihood: opt.logMarginalLikelihood,
        jitter: this.model.jitter,
        lmlEvaluations: evaluations,
        n,
      },
    };
  }

  posterior(X: readonly (readonly number[])[]): Posterior {
    const model = this.requireModel();
    const flat = Float64Array.from(X.flat());
    const p = model.predict(this.warped(flat));
    const { mean: m0, scale, trend } = this.std;
    const d = model.d;
    const mean = p.mean.map((v, i) => m0 + scale * (v + (trend ? trendAt(trend, flat, i, d) : 0)));
    const variance = p.variance.map((v) => v * scale * scale);
    return {
      mean,
      variance,
      sample: (count, rng) => jointSamples(model, this.warped(flat), mean, scale, count, rng),
    };
  }

  posteriorGradient(X: readonly (readonly number[])[]): PosteriorGradient {
    const model = this.requireModel();
    const flat = Float64Array.from(X.flat());
    const hw = model.hp.warp;
    const w = hw ? warpPoints(flat, model.d, hw.a, hw.b) : undefined;
    const p = model.predictWithGradient(w ? w.U : flat);
    if (w) {
      // Chain rule through the warp: d/dx = du/dx d/du, per input.
      for (let k = 0; k < flat.length; k++) {
        p.dMean[k] *= w.dUdX[k];
        p.dVariance[k] *= w.dUdX[k];
      }
    }
    const { mean: m0, scale, trend } = this.std;
    const s2 = scale * scale;
    const d = model.d;
    return {
      mean: p.mean.map((v, i) => m0 + scale * (v + (trend ? trendAt(trend, flat, i, d) : 0))),
      variance: p.variance.map((v) => v * s2),
      dMean: p.dMean.map((v, k) => (v + (trend ? trend.slope[k % d] : 0)) * scale),
      dVariance: p.dVariance.map((v) => v * s2),
    };
  }

  /** Exact joint samples at `baseline` and any candidate from fixed quasi-random base samples (see {@link gpJointSampler}). */
  jointSampler(baseline: readonly (readonly number[])[], count: number, rng: Rng): JointSampler {
    const model = this.requireModel();
    const { mean: m0, scale, trend } = this.std;
    const meanAt = (flat: Float64Array): Float64Array =>
      model.predictMean(flat).map((v, i) => m0 + scale * (v + (trend ? trendAt(trend, flat, i, model.d) : 0)));
    if (!model.hp.warp) return gpJointSampler(model, meanAt, scale, baseline, count, rng);
    // The model sees warped inputs (no linear trend with a warp): sample there.
    const warpRows = (P: readonly (readonly number[])[]): number[][] => {
      const U = this.warped(Float64Array.from(P.flat()));
      return P.map((_, i) => Array.from(U.subarray(i * model.d, (i + 1) * model.d)));
    };
    const inner = gpJointSampler(model, meanAt, scale, warpRows(baseline), count, rng);
    return { count: inner.count, baselineMax: inner.baselineMax, candidates: (X) => inner.candidates(warpRows(X)) };
  }

  /**
   * Posterior cross-covariance of the latent objective (objective units squared; inputs
   * warped as the model sees them) and the noise variance of a new measurement: the fitted
   * constant noise plus, with per-observation noise weights, the proportional part at their
   * mean weight (the pooled level, since a new point has no reading yet).
   */
  crossCovariance(X: readonly (readonly number[])[], A: readonly (readonly number[])[]): CrossCovariance {
    const model = this.requireModel();
    const s2 = this.std.scale * this.std.scale;
    const c = model.crossCovariance(this.warped(Float64Array.from(X.flat())), this.warped(Float64Array.from(A.flat())));
    const w = model.noiseWeights;
    const meanWeight = w.length > 0 ? w.reduce((p, v) => p + v, 0) / w.length : 0;
    return {
      cross: c.cross.map((v) => v * s2),
      variance: c.variance.map((v) => v * s2),
      noiseVariance: (model.hp.noise + (model.hp.noiseProportional ?? 0) * meanWeight) * s2,
    };
  }

  condition(X: readonly (readonly number[])[], y: readonly number[]): GpSurrogate {
    const model = this.requireModel();
    const copy = new GpSurrogate(this.options);
    copy.std = this.std;
    copy.lastHp = this.lastHp;
    copy.lastAdditiveHp = this.lastAdditiveHp;
    const flat = Float64Array.from(X.flat());
    const trend = this.std.trend;
    const ref = this.std.noiseRef;
    copy.model = model.withData(
      this.warped(flat),
      Float64Array.from(y, (v, i) => (v - this.std.mean) / this.std.scale - (trend ? trendAt(trend, flat, i, model.d) : 0)),
      ref ? Float64Array.from(y, (v) => (v / ref) ** 2) : undefined,
    );
    return copy;
  }

  /** Flat unit-cube points [q*d] as the model sees them (warped when the fit has a warp). */
  private warped(flat: Float64Array): Float64Array {
    const hw = this.model?.hp.warp;
    return hw ? warpPoints(flat, this.model!.d, hw.a, hw.b).U : flat;
  }

  private requireModel(): GpModel {
    if (!this.model) throw new Error("GpSurrogate.posterior called before fit");
    return this.model;
  }
}

/** Joint samples mean + L z with L the Cholesky factor (with jitter) of the posterior covariance. */
function jointSamples(model: GpModel, flat: Float64Array, mean: Float64Array, scale: number, count: number, rng: Rng): Float64Array[] {
  const q = mean.length;
  const C = model.covariance(flat);
  // Posterior covariances are often numerically rank-deficient; jitter is expected here.
  const chol = choleskyWithJitter(C, q);
  const out: Float64Array[] = [];
  for (let s = 0; s < count; s++) {
    const z = Float64Array.from({ length: q }, () => rng.normal());
    const v = new Float64Array(q);
    for (let i = 0; i < q; i++) {
      if (chol) {
        let t = 0;
        for (let k = 0; k <= i; k++) t += chol.L[i * q + k] * z[k];
        v[i] = mean[i] + scale * t;
      } else {
        v[i] = mean[i] + scale * Math.sqrt(Math.max(0, C[i * q + i])) * z[i];
      }
    }
    out.push(v);
  }
  return out;
}
