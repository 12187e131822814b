import { STRATEGY_NAMES, checkStrategyName, createStrategy } from "../bo/strategies/index.js";
import type { StrategyFactory } from "../bo/strategy.js";

/**
 * Built-in strategies by name (src/bo/strategies): random; ei, logei, pi, ucb, ts, mean
 * on the ENN surrogate (src/twin, the original optimizer's model); gp-* on a Gaussian
 * process.
 */
export const BUILTIN_STRATEGY_NAMES: readonly string[] = STRATEGY_NAMES;

/** Options of the wiring. */
export interface BuiltinStrategyOptions {
  /** Training threads of the ENN (default: the ENN's own, one per core up to 2). Bench workers use 1. */
  ennWorkers?: number;
}

/** True for names whose surrogate is the ENN. */
export function usesEnn(name: string): boolean {
  const key = checkStrategyName(name);
  return key !== "random" && !key.startsWith("gp-");
}

/**
 * Factory of a built-in strategy; a UsageError lists the names when unknown. The ENN
 * (TensorFlow.js) is loaded only when an ENN strategy is created.
 */
export function builtinStrategyFactory(name: string, o: BuiltinStrategyOptions = {}): StrategyFactory {
  const key = checkStrategyName(name);
  if (!usesEnn(key)) return (ctx) => createStrategy(key, ctx);
  return async (ctx) => {
    const { ennSurrogateFactory } = await import("../twin/ennSurrogate.js");
    return createStrategy(key, ctx, { surrogateFactory: ennSurrogateFactory(o.ennWorkers ? { workers: o.ennWorkers } : {}) });
  };
}
