import { Rng } from "../core/rng.js";
import { initialDesign } from "../bo/design/initialDesign.js";
import { deriveSeed } from "../bo/campaign/seeds.js";
import { runBenchSeed, type BenchRun } from "../bo/bench/runSeed.js";
import type { BenchSettings, BenchTask } from "../bo/bench/settings.js";
import { buildBenchmarkLab, problemOfOracle, type OracleSpec } from "./labs.js";
import { createStrategy } from "./strategyResolver.js";
import { parseNoiseLevel, type NoiseLevel } from "../bo/noiseLevel.js";

/** The noise level strategies are told in a benchmark: "known" is the oracle's own relative noise. */
function benchNoiseLevel(s: BenchSettings): NoiseLevel | undefined {
  if (s.noiseSd === undefined) return undefined;
  if (s.noiseSd === "known") return s.noise > 0 ? { kind: "relative", sd: s.noise } : undefined;
  return parseNoiseLevel(s.noiseSd);
}

/** Everything one benchmark run needs; plain data, so it can be a worker's workerData. */
export interface BenchTaskData {
  oracle: OracleSpec;
  settings: BenchSettings;
  task: BenchTask;
  /** ENN training threads per run (1 inside bench workers, which are already parallel). */
  ennWorkers?: number;
}

/**
 * One strategy on one seed: fresh oracle lab (noise seeded), fresh initial design
 * (seeded; the same for every strategy at this seed), fresh strategy. Deterministic per
 * seed wherever it runs (main thread or worker).
 */
export async function runBenchTask(d: BenchTaskData): Promise<BenchRun> {
  const problem = await problemOfOracle(d.oracle);
  const space = problem.space;
  const { seed } = d.task;
  const lab = await buildBenchmarkLab(d.oracle, { noise: d.settings.noise, seed: deriveSeed(seed, "noise") });
  try {
    const strategy = await createStrategy(
      d.task.strategy,
      { space, seed: deriveSeed(seed, "strategy") },
      { ennWorkers: d.ennWorkers, noise: benchNoiseLevel(d.settings) },
    );
    try {
      const initConditions = initialDesign(d.settings.init, space, new Rng(deriveSeed(seed, "design")));
      return await runBenchSeed({ seed, lab, strategy, problem, initConditions, budget: d.settings.budget, finalExploit: d.settings.finalExploit });
    } finally {
      strategy.dispose?.();
    }
  } finally {
    await lab.close();
  }
}
