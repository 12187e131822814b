import type { TrustRegionOptions } from "./trustRegion.js";
import { UsageError } from "../../core/errors.js";
import { GpSurrogate, type GpSurrogateOptions } from "../gp/gpSurrogate.js";
import type { Strategy, StrategyContext, StrategyFactory } from "../strategy.js";
import type { Surrogate } from "../surrogate.js";
import { RandomStrategy } from "./randomStrategy.js";
import { SurrogateStrategy, type AcqfSettings, type AcquisitionName } from "./surrogateStrategy.js";

export { RandomStrategy } from "./randomStrategy.js";
export { SurrogateStrategy, DEFAULT_ACQF_SETTINGS, type AcqfSettings, type AcquisitionName, type SurrogateStrategyOptions } from "./surrogateStrategy.js";
export { loadStrategyModule } from "./loadStrategyModule.js";
export { thompsonPick } from "./thompson.js";
export { minProposalDistance, resolutionOf, roundCondition, roundToStep, sameExperiment, DEFAULT_RELATIVE_RESOLUTION } from "./resolution.js";

/**
 * Acquisition rules a strategy name may end in. "mean" is pure exploitation throughout;
 * "nei" is log-EI on the best posterior mean at the observed points; "qnei" the Monte
 * Carlo noisy EI integrated over the incumbent; "kg" the knowledge gradient (UCB for
 * surrogates without a posterior cross-covariance).
 */
export const ACQUISITION_NAMES: readonly AcquisitionName[] = ["ei", "logei", "nei", "qnei", "pi", "ucb", "ts", "mean", "kg"];

/** The least-squares trend prior mean from 10 observations per input on (docs/bo.md "The default's trend"). */
const TREND: GpSurrogateOptions = { mean: "linear", trendMinPerInput: 10 };
/** The recommendation GP of the defaults: constant mean, shaped estimated noise (docs/bo.md "The default's recommendation"). */
const SHAPED_CONSTANT_MEAN: GpSurrogateOptions = { mean: "constant", shapedNoise: true, relativeNoiseLevels: "smoothed" };
/**
 * The additive kernel part where leave-one-out prefers it by more than 0.5 nats per
 * observation, from 10 observations per input on (docs/bo.md "The additive part by leave-one-out").
 */
const AUTO_ADDITIVE: GpSurrogateOptions = { additiveKernel: "auto", additiveMargin: 0.5, additiveMinPerInput: 10 };

/**
 * GP variants with their own names (issue 12): noise-aware EI in a trust region around the
 * incumbent alternating with the whole space (`gp-nei-tr`) or always local (`gp-nei-trl`),
 * on a GP with a linear prior mean (`gp-nei-lin`), and the Monte Carlo noisy EI in the
 * alternating trust region (`gp-qnei-tr`), and UCB whose recommendation comes from a second
 * GP with relative noise (`gp-ucb-shaped-rec`: the same experiments as `gp-ucb`; the second
 * GP shapes its estimated noise, or with a declared relative level gives each observation
 * that level of its smoothed value), and UCB on a GP whose kernel has an additive part
 * (`gp-ucb-add`: one-dimensional effects of each input beside the joint ARD part) or a
 * linear part (`gp-ucb-lin`: a Bayesian linear trend), and UCB on a GP whose prior mean is a
 * least-squares linear trend once there are 10 observations per input, recommending from the
 * constant-mean GP (`gp-ucb-trend`), or from the constant-mean GP with shaped noise
 * (`gp-ucb-trend-shaped-rec`: the experiments of `gp-ucb-trend` but the last), and the
 * same with the additive kernel part on both GPs wherever leave-one-out clearly prefers it
 * (`gp-ucb-trend-autoadd`). A variant may also set the UCB final phase (no built-in does:
 * it did not beat `gp-ucb`, docs/bo.md).
 */
const GP_VARIANTS: Readonly<
  Record<
    string,
    {
      acquisition: AcquisitionName;
      trustRegion?: TrustRegionOptions;
      /** Options of the strategy's GP (prior mean, kernel parts, noise); the caller's `options.gp` win. */
      gp?: GpSurrogateOptions;
      finalPhase?: number;
      /** Fraction of the budget at its end proposed by the knowledge gradient (see SurrogateStrategyOptions.kgPhase). */
      kgPhase?: number;
      /** GP options of a second GP used only for recommendations (added to the strategy's own). */
      recommendationGp?: GpSurrogateOptions;
    }
  >
> = {
  "gp-nei-tr": { acquisition: "nei", trustRegion: {} },
  "gp-nei-trl": { acquisition: "nei", trustRegion: { globalEvery: 0 } },
  "gp-nei-lin": { acquisition: "nei", gp: { mean: "linear" } },
  "gp-qnei-tr": { acquisition: "qnei", trustRegion: {} },
  "gp-ucb-shaped-rec": { acquisition: "ucb", recommendationGp: { shapedNoise: true, relativeNoiseLevels: "smoothed" } },
  "gp-ucb-kg": { acquisition: "ucb", kgPhase: 0.25 },
  "gp-ucb-kg50": { acquisition: "ucb", kgPhase: 0.5 },
  "gp-ucb-add": { acquisition: "ucb", gp: { additiveKernel: true } },
  "gp-ucb-lin": { acquisition: "ucb", gp: { linearKernel: true } },
  "gp-ucb-trend": { acquisition: "ucb", gp: TREND, recommendationGp: { mean: "constant" } },
  "gp-ucb-trend-shaped-rec": { acquisition: "ucb", gp: TREND, recommendationGp: SHAPED_CONSTANT_MEAN },
  "gp-ucb-trend-autoadd": { acquisition: "ucb", gp: { ...TREND, ...AUTO_ADDITIVE }, recommendationGp: SHAPED_CONSTANT_MEAN },
};

/**
 * Strategy names: `random`, and `<surrogate>-<acquisition>` for every acquisition rule of
 * {@link ACQUISITION_NAMES}, with `gp` always available and every name of `surrogates`
 * (surrogates the caller injects, e.g. `enn` from the CLI wiring), and the GP variants.
 */
export function strategyNames(surrogates: readonly string[] = []): string[] {
  return ["random", ...["gp", ...surrogates].flatMap((s) => ACQUISITION_NAMES.map((a) => `${s}-${a}`)), ...Object.keys(GP_VARIANTS)];
}

/** The names this library builds without injected surrogates: random and gp-*. */
export const STRATEGY_NAMES: readonly string[] = strategyNames();

export interface StrategyOptions {
  /**
   * Surrogates by name prefix, e.g. `{ enn: ennSurrogateFactory() }` makes `enn-ei`,
   * `enn-ucb`, ... available. `gp` is built in.
   */
  surrogates?: Readonly<Record<string, () => Surrogate>>;
  /** UCB beta (mu + sqrt(beta) sigma). Default 4 (`DEFAULT_UCB_BETA`). */
  beta?: number;
  /** Acquisition-optimiser settings (rawSamples, restarts, maxIterations, thompsonCandidates). */
  optimizer?: Partial<AcqfSettings>;
  /** GP settings for GP-backed strategies. */
  gp?: GpSurrogateOptions;
  /** Observations needed before the surrogate is used; fewer -> scrambled Sobol points. Default 2. */
  minObservations?: number;
  /** Exclusion radius around pending points for surrogates without `condition`. Default 0.1. */
  pendingRadius?: number;
  /** Minimum unit-cube distance of a proposal from observed and pending points. Default: from the inputs' resolutions ({@link minProposalDistance}). */
  minDistance?: number;
  /** UCB only: the fraction of the budget at its end over which beta tapers to 0 (overrides the variant's; see SurrogateStrategyOptions.finalPhase). */
  finalPhase?: number;
  /** Another acquisition for the end of the budget (see SurrogateStrategyOptions.lateAcquisition). */
  lateAcquisition?: { acquisition: AcquisitionName; fraction: number };
}

/**
 * The normalised strategy name, or a {@link UsageError} listing the names. `surrogates`
 * are the injected surrogate prefixes besides `gp`.
 */
export function checkStrategyName(name: string, surrogates: readonly string[] = []): string {
  const key = name.trim().toLowerCase();
  const names = strategyNames(surrogates);
  if (!names.includes(key)) {
    const bare = (ACQUISITION_NAMES as readonly string[]).includes(key);
    throw new UsageError(
      bare ? `strategy "${name}" does not say its surrogate` : `unknown strategy "${name}"`,
      bare
        ? `strategy names are <surrogate>-<acquisition>: write ${["gp", ...surrogates].map((s) => `${s}-${key}`).join(" or ")}`
        : `choose one of ${names.join(", ")}, or give a module file whose default export is a strategy factory`,
    );
  }
  return key;
}

/**
 * Create a strategy by name (see {@link strategyNames}): `random`, `gp-<acquisition>`, or
 * `<prefix>-<acquisition>` for a surrogate injected in `options.surrogates`. Throws
 * {@link UsageError} for an unknown name. Deterministic for `ctx.seed`.
 */
export function createStrategy(name: string, ctx: StrategyContext, options: StrategyOptions = {}): Strategy {
  const surrogates = options.surrogates ?? {};
  const key = checkStrategyName(name, Object.keys(surrogates));
  if (key === "random") return new RandomStrategy(ctx);
  const variant = GP_VARIANTS[key];
  const cut = key.lastIndexOf("-");
  const prefix = variant ? "gp" : key.slice(0, cut);
  const acquisition = variant ? variant.acquisition : (key.slice(cut + 1) as AcquisitionName);
  const gpOptions = { ...variant?.gp, ...options.gp };
  // A recommendation GP follows the strategy GP's leave-one-out choice of the additive part
  // (both are fitted to the same data, the strategy's first) instead of making its own.
  let strategyGp: GpSurrogate | undefined;
  const surrogateFactory = prefix === "gp" ? (): Surrogate => (strategyGp = new GpSurrogate(gpOptions)) : surrogates[prefix];
  const recommendationGp = (): Surrogate =>
    new GpSurrogate({
      ...gpOptions,
      ...variant?.recommendationGp,
      ...(gpOptions.additiveKernel === "auto" && strategyGp ? { additiveKernel: strategyGp } : {}),
    });
  return new SurrogateStrategy(ctx, {
    name: key,
    acquisition,
    surrogateFactory,
    beta: options.beta,
    optimizer: options.optimizer,
    minObservations: options.minObservations,
    pendingRadius: options.pendingRadius,
    minDistance: options.minDistance,
    ...(variant?.trustRegion ? { trustRegion: variant.trustRegion } : {}),
    ...((options.finalPhase ?? variant?.finalPhase) !== undefined ? { finalPhase: options.finalPhase ?? variant?.finalPhase } : {}),
    ...(variant?.kgPhase !== undefined ? { kgPhase: variant.kgPhase } : {}),
    ...(options.lateAcquisition ? { lateAcquisition: options.lateAcquisition } : {}),
    ...(variant?.recommendationGp ? { recommendationSurrogateFactory: recommendationGp } : {}),
  });
}

/** A {@link StrategyFactory} for a name, for the property suite and the bench harness. */
export function strategyFactory(name: string, options: StrategyOptions = {}): StrategyFactory {
  checkStrategyName(name, Object.keys(options.surrogates ?? {}));
  return (ctx) => createStrategy(name, ctx, options);
}
