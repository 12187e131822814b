import type { Rng } from "../core/rng.js";
import { ensemblePosterior, ensemblePosteriorGradient, type EnsembleCalibration } from "../bo/ensemble/ensemblePosterior.js";
import { SdflError } from "../core/errors.js";
import type { Observations, Posterior, PosteriorGradient, Surrogate, SurrogateFitInfo } from "../bo/surrogate.js";
import { initBackend } from "./backend.js";
import { CascadeEnsembleTwin, networkInputJacobian, networkInputs } from "./cascadeEnsemble.js";
import { supportDistanceSqGradient, supportDistanceSqs } from "./extrapolation.js";
import { keepExtrapolation } from "./extrapolationCalibration.js";
import { trainEnsemble, type EnsembleOptions, type TrainedEnsemble } from "./enn/trainEnsemble.js";
import { DEFAULT_SCHEDULE, type TrainSchedule } from "./enn/schedule.js";
import { DEFAULT_PLQY_REFERENCE, type PlqyReference } from "./plqy.js";
import { PlqyGradient } from "./plqyGradient.js";

/** Settings of the ENN surrogate. */
export interface EnnSurrogateOptions {
  /** Ensemble size. Default 20. */
  members?: number;
  /** Schedule of a fit from scratch. Default the default schedule (schedule.ts). */
  schedule?: TrainSchedule;
  /**
   * Schedule of a warm-started refit (previous members continue on their rows).
   * Default: the default schedule for 50 more epochs.
   */
  warmSchedule?: TrainSchedule;
  /** Continue from the previous fit's weights. Default true. */
  warmStart?: boolean;
  /** Train from scratch every this many fits even when warm-starting (0 = never). Default 0. */
  coldEvery?: number;
  /** Training threads. Default one per core, at most 2. */
  workers?: number;
  plqyReference?: PlqyReference;
  /**
   * The physical box (one [lo, hi] per input, in the paper's order T, CuI, ZnI2, CsOA, ODE:
   * degC, uL/min) that the unit cube stands for. Given, and with a flow-fraction schedule,
   * the networks see temperature, total flow and flow fractions; otherwise they see the
   * unit-cube inputs (a problem without the paper's flows).
   */
  physicalBounds?: readonly (readonly [number, number])[];
}

/** Warm refits: the members are already close, so 50 more epochs. */
export const WARM_SCHEDULE: TrainSchedule = { ...DEFAULT_SCHEDULE, name: "warm", patience: 50, maxEpochs: 50 };

/**
 * The original optimizer's surrogate: an ensemble of cascade networks fitted to the raw
 * features (Abs300nm, PLA) of the observations on unit-cube inputs; the posterior of
 * the objective is the mean over members of each member's PLQY proxy with the twin's
 * calibrated predictive variance, and its samples are members. Refits warm-start from
 * the previous weights.
 */
export class EnnSurrogate implements Surrogate {
  readonly name = "enn";
  private twin?: CascadeEnsembleTwin;
  private gradient?: PlqyGradient;
  private last?: TrainedEnsemble;
  private seed?: number;
  private fits = 0;
  /** Physical bounds the unit cube maps to when the networks see flow-fraction features. */
  private physical?: [number, number][];

  constructor(private readonly opts: EnnSurrogateOptions = {}) {}

  async fit(data: Observations, rng: Rng): Promise<SurrogateFitInfo> {
    const t0 = performance.now();
    const abs300 = data.outcomes?.abs300;
    const pla = data.outcomes?.pla;
    if (!abs300 || !pla) {
      throw new SdflError(
        "the ENN surrogate needs the measured outcomes abs300 and pla of every observation (the paper's problem)",
        "use a gp-* strategy for a problem without these outcomes",
      );
    }
    const n = data.X.length;
    if (abs300.length !== n || pla.length !== n) throw new RangeError(`ENN surrogate: ${n} points but ${abs300.length} Abs300 and ${pla.length} PLA values`);
    await initBackend().catch(() => undefined);
    this.seed ??= rng.nextUint32();
    const d = data.X[0]?.length ?? 5;
    // Flow-fraction features need physical flows: the caller says which box the unit cube is.
    const schedule = this.opts.schedule ?? DEFAULT_SCHEDULE;
    const box = this.opts.physicalBounds;
    this.physical = schedule.features === "flow-fractions" && box?.length === d ? box.map(([lo, hi]) => [lo, hi]) : undefined;
    const X = this.toNetworkUnits(data.X);
    // Without a physical box there are no flows: the networks see the inputs.
    const features = this.physical ? "flow-fractions" : "inputs";
    const coldEvery = this.opts.coldEvery ?? 0;
    const warm = (this.opts.warmStart ?? true) && !!this.last && !(coldEvery > 0 && this.fits % coldEvery === 0);
    const common: EnsembleOptions = {
      members: this.opts.members ?? 20,
      seed: this.seed,
      inputBounds: this.physical ?? Array.from({ length: d }, () => [0, 1] as [number, number]),
      plqyReference: this.opts.plqyReference ?? DEFAULT_PLQY_REFERENCE,
      stableSplit: true,
      ...(this.opts.workers ? { workers: this.opts.workers } : {}),
    };
    const trained = await trainEnsemble(
      { X, abs: abs300, pla },
      warm
        ? {
            ...common,
            schedule: { ...(this.opts.warmSchedule ?? WARM_SCHEDULE), features },
            init: this.last!.params,
            outputScaling: this.last!.spec.outputScaling,
          }
        : { ...common, schedule: { ...schedule, features } },
    );
    // Warm refits train no edge-slab members: they keep the cold fit's extrapolation factors.
    if (warm) {
      const calibration = keepExtrapolation(this.last!.spec.calibration, trained.spec.calibration, trained.spec, X);
      if (calibration) trained.spec.calibration = calibration;
    }
    this.twin?.dispose();
    this.twin = new CascadeEnsembleTwin(trained.spec);
    this.gradient = undefined;
    this.last = trained;
    this.fits++;
    return {
      seconds: (performance.now() - t0) / 1000,
      meta: {
        warm,
        members: trained.info.members,
        memberEpochs: trained.info.memberEpochs,
        schedule: trained.info.schedule.name,
        features: trained.spec.inputTransform?.kind ?? "inputs",
        seed: this.seed,
        points: n,
      },
      warnings: [],
    };
  }

  /**
   * The ensemble posterior of the PLQY proxy (src/bo/ensemble): mean over members and
   * the twin's calibrated predictive variance (scaled member variance plus measurement
   * noise, fitted on out-of-bag residuals at each fit); samples are distinct members.
   */
  /** The PLQY predictive variance model of the last fit (undefined before a fit or without out-of-bag rows). */
  get calibration(): EnsembleCalibration | undefined {
    return this.twin?.spec.calibration?.plqy;
  }

  posterior(X: readonly (readonly number[])[]): Posterior {
    if (!this.twin) throw new Error("EnnSurrogate.posterior called before fit");
    const points = this.toNetworkUnits(X);
    const p = this.twin.predict(points);
    const post = ensemblePosterior(p.plqy, p.n, p.m, this.twin.spec.calibration?.plqy);
    // The twin's extrapolation term (calibration.ts): the same predictive variance as `twin predict`.
    const grow = this.extrapolationFactors(points);
    if (grow) for (let i = 0; i < post.variance.length; i++) post.variance[i] *= grow.factor[i];
    return post;
  }

  /** Per point (1 + c e^2) and, with `withGradient`, c d(e^2)/dx per unit-cube input [q*d]; undefined without an extrapolation term. */
  private extrapolationFactors(points: readonly (readonly number[])[], withGradient = false): { factor: Float64Array; dFactor?: Float64Array } | undefined {
    const spec = this.twin!.spec;
    const c = spec.calibration?.plqy.extrapolation ?? 0;
    const support = spec.calibration;
    if (!support?.trainingRange || !(c > 0)) return undefined;
    const q = points.length;
    const d = spec.inputs.length;
    const z = networkInputs(spec, points);
    const factor = Float64Array.from(supportDistanceSqs(support, z, q)!, (e2) => 1 + c * e2);
    if (!withGradient) return { factor };
    const dFactor = new Float64Array(q * d);
    for (let i = 0; i < q; i++) {
      const gz = supportDistanceSqGradient(support, z, i);
      if (gz.every((v) => v === 0)) continue;
      // d e^2 / d x_j = sum_a d e^2 / d z_a * d z_a / d x_j (x physical), then * (hi - lo) per unit-cube input.
      const J = networkInputJacobian(spec, points[i]);
      for (let j = 0; j < d; j++) {
        let g = 0;
        for (let a = 0; a < d; a++) g += gz[a] * J[a][j];
        dFactor[i * d + j] = c * g * (this.physical ? this.physical[j][1] - this.physical[j][0] : 1);
      }
    }
    return { factor, dFactor };
  }

  /**
   * The same posterior's mean and variance with exact input gradients, by backpropagation
   * of every member's PLQY proxy to the inputs (float64).
   */
  posteriorGradient(X: readonly (readonly number[])[]): PosteriorGradient {
    if (!this.twin) throw new Error("EnnSurrogate.posteriorGradient called before fit");
    this.gradient ??= new PlqyGradient(this.twin.spec);
    const q = X.length;
    const d = this.twin.inputs.length;
    let g;
    if (this.physical) {
      // d/d unit = d/d physical * (hi - lo).
      g = this.gradient.atPoints(this.toNetworkUnits(X));
      for (let r = 0; r < g.dPlqy.length; r++) g.dPlqy[r] *= this.physical[r % d][1] - this.physical[r % d][0];
    } else {
      const z = new Float64Array(q * d);
      X.forEach((x, i) => {
        for (let j = 0; j < d; j++) z[i * d + j] = x[j];
      });
      g = this.gradient.at(z, q);
    }
    const post = ensemblePosteriorGradient(g.plqy, g.dPlqy, q, g.m, d, this.twin.spec.calibration?.plqy);
    const grow = this.extrapolationFactors(this.toNetworkUnits(X), true);
    if (grow)
      for (let i = 0; i < q; i++) {
        // d (V f) = f dV + V df.
        for (let j = 0; j < d; j++) post.dVariance[i * d + j] = grow.factor[i] * post.dVariance[i * d + j] + post.variance[i] * grow.dFactor![i * d + j];
        post.variance[i] *= grow.factor[i];
      }
    return post;
  }

  /** Unit-cube points -> what the ensemble is trained on (physical units with flow-fraction features, else unchanged). */
  private toNetworkUnits(X: readonly (readonly number[])[]): readonly (readonly number[])[] {
    const b = this.physical;
    return b ? X.map((x) => x.map((v, j) => b[j][0] + v * (b[j][1] - b[j][0]))) : X;
  }

  dispose(): void {
    this.twin?.dispose();
    this.twin = undefined;
  }
}

/** A factory the campaign code can pass as `surrogateFactory` (src/bo/strategies). */
export function ennSurrogateFactory(opts: EnnSurrogateOptions = {}): () => Surrogate {
  return () => new EnnSurrogate(opts);
}
