import type { BenchRun } from "./runSeed.js";
import { taskKey, type BenchSettings, type BenchTask } from "./settings.js";
import type { BenchFailure, BenchResults, OracleInfo } from "./summary.js";

/**
 * The results.json document from the finished runs, wherever they ran: strategies in the
 * sweep's order, runs in seed order, each (strategy, seed) at most once. Failures (one per
 * strategy) are listed only when there are some.
 */
export function assembleResults(
  oracle: OracleInfo,
  settings: BenchSettings & Record<string, unknown>,
  tasks: readonly BenchTask[],
  runs: ReadonlyMap<string, BenchRun>,
  failures: readonly BenchFailure[] = [],
): BenchResults {
  const strategies: BenchResults["strategies"] = {};
  for (const s of settings.strategies) strategies[s.name] = { runs: [] };
  for (const t of tasks) {
    const r = runs.get(taskKey(t));
    if (r) strategies[t.strategy.name].runs.push(r);
  }
  for (const v of Object.values(strategies)) v.runs.sort((a, b) => a.seed - b.seed);
  return { oracle, settings, strategies, ...(failures.length > 0 ? { failures: [...failures] } : {}) };
}
