import { UsageError } from "../core/errors.js";
import type { StrategyFactory } from "../bo/strategy.js";

/**
 * Built-in strategies by name. The optimizer strategies (src/bo/strategies) and the ENN
 * surrogate (src/twin) are wired in here as they land.
 */
const BUILTINS: Record<string, StrategyFactory> = {};

export const BUILTIN_STRATEGY_NAMES: string[] = Object.keys(BUILTINS);

/** Factory of a built-in strategy; a {@link UsageError} lists the names when unknown. */
export function builtinStrategyFactory(name: string): StrategyFactory {
  const f = BUILTINS[name];
  if (!f) throw new UsageError(`unknown strategy "${name}"`, `choose from ${BUILTIN_STRATEGY_NAMES.join(", ") || "(none built in yet)"}, or pass --strategy-module FILE`);
  return f;
}
