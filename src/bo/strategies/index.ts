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

/** Acquisition rules by strategy name. "mean" is pure exploitation throughout. */
const ACQUISITIONS: Record<string, AcquisitionName> = { ei: "ei", logei: "logei", pi: "pi", ucb: "ucb", ts: "ts", mean: "mean" };

/**
 * Built-in strategy names: random; ei, logei, pi, ucb, ts, mean on the injected surrogate
 * (a GP when none is injected); gp-ei, gp-logei, gp-pi, gp-ucb, gp-ts, gp-mean always on a GP.
 */
export const STRATEGY_NAMES: readonly string[] = ["random", ...Object.keys(ACQUISITIONS), ...Object.keys(ACQUISITIONS).map((a) => `gp-${a}`)];

export interface StrategyOptions {
  /**
   * Makes the surrogate for ei/logei/pi/ucb/ts/mean (e.g. the ENN from src/twin, wired by
   * the CLI). Without it those names use a GP. Ignored by random and the gp-* names.
   */
  surrogateFactory?: () => Surrogate;
  /** UCB beta (mu + sqrt(beta) sigma). Default 2. */
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
}

/** The normalised built-in name, or a {@link UsageError} listing the names. */
export function checkStrategyName(name: string): string {
  const key = name.trim().toLowerCase();
  if (!STRATEGY_NAMES.includes(key)) {
    throw new UsageError(
      `unknown strategy "${name}"`,
      `choose one of ${STRATEGY_NAMES.join(", ")}, or give a module file whose default export is a strategy factory`,
    );
  }
  return key;
}

/**
 * Create a built-in strategy by name (see {@link STRATEGY_NAMES}). Throws
 * {@link UsageError} for an unknown name. Deterministic for `ctx.seed`.
 */
export function createStrategy(name: string, ctx: StrategyContext, options: StrategyOptions = {}): Strategy {
  const key = checkStrategyName(name);
  if (key === "random") return new RandomStrategy(ctx);
  const forceGp = key.startsWith("gp-");
  const acquisition = ACQUISITIONS[forceGp ? key.slice(3) : key];
  const gpFactory = (): Surrogate => new GpSurrogate(options.gp);
  return new SurrogateStrategy(ctx, {
    name: key,
    acquisition,
    surrogateFactory: forceGp ? gpFactory : (options.surrogateFactory ?? gpFactory),
    beta: options.beta,
    optimizer: options.optimizer,
    minObservations: options.minObservations,
    pendingRadius: options.pendingRadius,
    minDistance: options.minDistance,
  });
}

/** A {@link StrategyFactory} for a built-in name, for the property suite and the bench harness. */
export function strategyFactory(name: string, options: StrategyOptions = {}): StrategyFactory {
  checkStrategyName(name);
  return (ctx) => createStrategy(name, ctx, options);
}
