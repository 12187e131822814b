import { STRATEGY_NAMES, checkStrategyName, strategyFactory } from "../bo/strategies/index.js";
import type { StrategyFactory } from "../bo/strategy.js";

/**
 * Built-in strategies by name (src/bo/strategies): random; ei, logei, pi, ucb, ts, mean
 * on the default surrogate; gp-* always on a Gaussian process.
 * The ENN surrogate (src/twin) becomes the default surrogate here once it is available;
 * until then the non-gp names use a GP too (the strategies' documented fallback).
 */
export const BUILTIN_STRATEGY_NAMES: readonly string[] = STRATEGY_NAMES;

/** Factory of a built-in strategy; a UsageError lists the names when unknown. */
export function builtinStrategyFactory(name: string): StrategyFactory {
  return strategyFactory(checkStrategyName(name));
}
