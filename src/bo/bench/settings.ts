/** A strategy to benchmark: a built-in name, or a module file whose default export is a StrategyFactory. */
export interface StrategyRef {
  /** Name in results.json ("ei", or the module's file name without extension). */
  name: string;
  /** Absolute path of a user strategy module, if any. */
  module?: string;
}

/** Settings of a benchmark; stored under `settings` in results.json. */
export interface BenchSettings {
  strategies: StrategyRef[];
  /** One run per strategy per seed. The seed drives the initial design, the lab noise and the strategy. */
  seeds: number[];
  /** Optimizer-chosen experiments per run. */
  budget: number;
  /** Fresh initial design measured on the oracle at the start of each run. */
  init: { kind: "lhs" | "sobol"; count: number };
  /** Relative standard deviation of the measurement noise (0.04 = 4 %). */
  noise: number;
  /** The last optimizer experiment is pure exploitation. */
  finalExploit: boolean;
  /** Quick mode (CI): smaller thorough search for the oracle's maximum. */
  quick: boolean;
  /**
   * Noise level the strategies are told (`--noise-sd`): "known" (the oracle's relative
   * noise), "4%", "0.008"; absent = estimated by each surrogate.
   */
  noiseSd?: string;
}

/** One unit of work: one strategy on one seed. */
export interface BenchTask {
  strategy: StrategyRef;
  seed: number;
}

/** Every (strategy, seed) pair, strategy-major. */
export function benchTasks(s: BenchSettings): BenchTask[] {
  return s.strategies.flatMap((strategy) => s.seeds.map((seed) => ({ strategy, seed })));
}

/** The key of a task in run logs and merges: strategy name and seed ("ei#3"). */
export function taskKey(t: { strategy: { name: string } | string; seed: number }): string {
  return `${typeof t.strategy === "string" ? t.strategy : t.strategy.name}#${t.seed}`;
}
