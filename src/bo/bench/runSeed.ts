import { performance } from "node:perf_hooks";
import { utilityOf, type Problem } from "../problem/problem.js";
import { toArray, type Condition } from "../problem/space.js";
import type { BenchmarkLab } from "../lab.js";
import type { Strategy } from "../strategy.js";
import { MemoryJournal } from "../campaign/memoryJournal.js";
import { runCampaign } from "../campaign/runner.js";
import type { ExperimentRecord } from "../campaign/journal.js";

/** One strategy on one seed, as results.json stores it. */
export interface BenchRun {
  seed: number;
  /** True objective of the best measured point after each optimizer-chosen experiment; shape [budget]. */
  bestTrue: number[];
  /** Optimizer-chosen conditions, [budget][d] in the space's input order (physical units). */
  proposals: number[][];
  /** Wall-clock seconds of the run (initial design, optimizer loop, scoring). */
  seconds: number;
}

export interface BenchSeedInput {
  seed: number;
  lab: BenchmarkLab;
  strategy: Strategy;
  problem: Problem;
  /** Initial design, measured on the lab before the optimizer starts. */
  initConditions: readonly Condition[];
  budget: number;
  finalExploit: boolean;
}

/**
 * Run one benchmark campaign in memory and score it with the lab's true objective:
 * after each optimizer experiment, the best point so far is chosen by its MEASURED
 * (noisy) value, as an experimenter would, and scored by its true value.
 */
export async function runBenchSeed(i: BenchSeedInput): Promise<BenchRun> {
  const t0 = performance.now();
  const journal = new MemoryJournal();
  await runCampaign({
    journal,
    lab: i.lab,
    strategy: i.strategy,
    problem: i.problem,
    budget: i.budget,
    finalExploit: i.finalExploit,
    init: { kind: "design", label: `design of ${i.initConditions.length}`, conditions: i.initConditions },
  });
  const rows = journal.experiments().filter((r) => r.status === "done");
  const { bestTrue, proposals } = scoreRun(rows, i.lab, i.problem);
  return { seed: i.seed, bestTrue, proposals, seconds: (performance.now() - t0) / 1000 };
}

/** bestTrue and proposals from the done experiments of a run (init first, then optimizer ones in order). */
export function scoreRun(rows: readonly ExperimentRecord[], lab: BenchmarkLab, problem: Problem): { bestTrue: number[]; proposals: number[][] } {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  let best: ExperimentRecord | undefined;
  const bestAfter: Condition[] = [];
  const proposals: number[][] = [];
  for (const r of sorted) {
    if (!best || utilityOf(problem, r.measurement!.objective) > utilityOf(problem, best.measurement!.objective)) best = r;
    if (r.phase !== "init") {
      bestAfter.push(best.measurement!.condition);
      proposals.push(toArray(problem.space, r.condition));
    }
  }
  return { bestTrue: bestAfter.length ? lab.evaluateTrue(bestAfter) : [], proposals };
}
