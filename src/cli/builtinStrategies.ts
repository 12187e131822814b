import { checkStrategyName, createStrategy, strategyNames } from "../bo/strategies/index.js";
import type { StrategyFactory } from "../bo/strategy.js";
import type { NoiseLevel } from "../bo/noiseLevel.js";

/** Surrogate prefixes the CLI injects besides the library's `gp`: `enn`, the ENN of src/twin. */
const CLI_SURROGATES = ["enn"] as const;

/**
 * Built-in strategies by name (src/bo/strategies): random; enn-ei, enn-logei, enn-pi,
 * enn-ucb, enn-ts, enn-mean on the ENN surrogate (src/twin, the original optimizer's
 * model); gp-* on a Gaussian process. The same names as the library's `createStrategy`.
 */
export const BUILTIN_STRATEGY_NAMES: readonly string[] = strategyNames(CLI_SURROGATES);

/**
 * The default strategy of `sdfl campaign` and `sdfl bench`: `gp-ucb-trend-autoadd`, a GP
 * with the upper confidence bound (mu + 2 sigma, beta = 4 since session 6) whose prior mean
 * is a least-squares linear trend once there are 10 observations per input (session 7;
 * before that it is `gp-ucb`), ending with the posterior-mean recommendation of a
 * constant-mean GP with shaped noise (session 8: the estimated noise redistributed in
 * proportion to the squared level, so a few high readings at the top are not taken as
 * truth); both GPs take an additive kernel part where leave-one-out prefers it by more than
 * 0.5 nats per observation, from 10 observations per input on (session 9: separable
 * responses with many local optima; elsewhere the runs are session 8's, draw for draw).
 * UCB has no incumbent, so a lucky noisy reading does not set its bar; the trend sends
 * exploration towards the faces a monotone response rises to. Chosen by the measurements
 * of issue 12 (benchmarks/README.md); the noise-aware EIs (gp-nei, gp-qnei) and trust
 * regions did not beat it. The paper's algorithm stays available as `enn-ei` (ENN + EI).
 */
export const DEFAULT_STRATEGY = "gp-ucb-trend-autoadd";

/** Options of the wiring. */
export interface BuiltinStrategyOptions {
  /** Training threads of the ENN (default: the ENN's own, one per core up to 2). Bench workers use 1. */
  ennWorkers?: number;
  /** Declared measurement noise (fixed in the GP instead of estimated). Default: estimated. */
  noise?: NoiseLevel;
}

/** The normalised built-in name, or a UsageError listing the names (and the prefixed form of a bare acquisition name). */
export function checkBuiltinStrategyName(name: string): string {
  return checkStrategyName(name, CLI_SURROGATES);
}

/** True for names whose surrogate is the ENN. */
export function usesEnn(name: string): boolean {
  return checkStrategyName(name, CLI_SURROGATES).startsWith("enn-");
}

/**
 * Factory of a built-in strategy; a UsageError lists the names when unknown. The ENN
 * (TensorFlow.js) is loaded only when an ENN strategy is created.
 */
export function builtinStrategyFactory(name: string, o: BuiltinStrategyOptions = {}): StrategyFactory {
  const key = checkStrategyName(name, CLI_SURROGATES);
  const gp = o.noise ? { gp: { noise: o.noise } } : {};
  if (!usesEnn(key)) return (ctx) => createStrategy(key, ctx, gp);
  return async (ctx) => {
    const [{ ennSurrogateFactory }, { INPUT_NAMES }] = await Promise.all([import("../twin/ennSurrogate.js"), import("../twin/space.js")]);
    // The paper's problem (possibly narrowed): its box lets the ENN see flow fractions.
    const paper = ctx.space.inputs.length === INPUT_NAMES.length && ctx.space.inputs.every((s, i) => s.name === INPUT_NAMES[i]);
    const enn = ennSurrogateFactory({
      ...(o.ennWorkers ? { workers: o.ennWorkers } : {}),
      ...(paper ? { physicalBounds: ctx.space.inputs.map((s) => s.bounds) } : {}),
    });
    return createStrategy(key, ctx, { ...gp, surrogates: { enn } });
  };
}
