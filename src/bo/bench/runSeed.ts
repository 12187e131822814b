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
  /**
   * True objective of the point with the best MEASURED (noisy) value after each
   * optimizer-chosen experiment; shape [budget]. Can step down when a lucky reading at a
   * worse point overtakes.
   */
  bestTrue: number[];
  /** Best true objective among all points measured so far (monotone: what the optimizer sampled); shape [budget]. */
  sampledBestTrue: number[];
  /**
   * True objective of the recommendation after each optimizer-chosen experiment: the
   * strategy's posterior-mean maximiser given the data so far, or for a strategy without
   * recommendations the best-measured point (see `recommendedBy`); shape [budget]. The
   * last entry is the final recommendation (inference regret = max - it).
   */
  recommendedTrue: number[];
  recommendedBy: "model" | "best-reading";
  /**
   * The level after the initial design, before any optimizer experiment: the same three
   * metrics (the recommendation of a model fitted to the initial design only). Absent in
   * results of older versions.
   */
  afterInit?: { bestTrue: number; sampledBestTrue: number; recommendedTrue: number };
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
  const outcome = await runCampaign({
    journal,
    lab: i.lab,
    strategy: i.strategy,
    problem: i.problem,
    budget: i.budget,
    finalExploit: i.finalExploit,
    init: { kind: "design", label: `design of ${i.initConditions.length}`, conditions: i.initConditions },
  });
  const rows = journal.experiments().filter((r) => r.status === "done");
  const { bestTrue, sampledBestTrue, proposals, initLevel } = scoreRun(rows, i.lab, i.problem);
  const recs = recommendationsOf(rows, outcome.recommendation?.condition);
  const recommendedBy = recs ? "model" : "best-reading";
  const recommendedTrue = recs ? i.lab.evaluateTrue(recs) : bestTrue;
  const firstRec = recs ? firstRecommendation(rows) : undefined;
  const afterInit = initLevel && {
    ...initLevel,
    recommendedTrue: recs ? (firstRec ? i.lab.evaluateTrue([firstRec])[0] : NaN) : initLevel.bestTrue,
  };
  return {
    seed: i.seed,
    bestTrue,
    sampledBestTrue,
    recommendedTrue,
    recommendedBy,
    ...(afterInit ? { afterInit } : {}),
    proposals,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** The recommendation recorded with the first optimizer proposal: its model had seen the initial design only. */
function firstRecommendation(rows: readonly ExperimentRecord[]): Condition | undefined {
  const first = [...rows].filter((r) => r.phase !== "init" && r.info?.replicate === undefined).sort((a, b) => a.index - b.index)[0];
  return (first?.info?.recommendation as { condition?: Condition } | undefined)?.condition;
}

/**
 * The recommendation after each optimizer experiment: the one recorded with the next
 * optimizer proposal (its model had seen this experiment), and `final` after the last.
 * Undefined when the strategy made none.
 */
export function recommendationsOf(rows: readonly ExperimentRecord[], final: Condition | undefined): Condition[] | undefined {
  if (!final) return undefined;
  const opt = [...rows].filter((r) => r.phase !== "init" && r.info?.replicate === undefined).sort((a, b) => a.index - b.index);
  const out: Condition[] = [];
  for (let k = 0; k < opt.length; k++) {
    const next = k + 1 < opt.length ? (opt[k + 1].info?.recommendation as { condition?: Condition } | undefined)?.condition : final;
    if (!next) return undefined;
    out.push(next);
  }
  return out;
}

/**
 * bestTrue, sampledBestTrue and proposals from the done experiments of a run (init first,
 * then optimizer ones in order; replicates of the final recommendation are not counted),
 * and the first two at the end of the initial design (`initLevel`).
 */
export function scoreRun(
  rows: readonly ExperimentRecord[],
  lab: BenchmarkLab,
  problem: Problem,
): { bestTrue: number[]; sampledBestTrue: number[]; proposals: number[][]; initLevel?: { bestTrue: number; sampledBestTrue: number } } {
  const sorted = [...rows].filter((r) => r.info?.replicate === undefined).sort((a, b) => a.index - b.index);
  const truth = sorted.length ? lab.evaluateTrue(sorted.map((r) => r.measurement!.condition)) : [];
  let best = -1;
  let sampled = -1;
  const bestTrue: number[] = [];
  const sampledBestTrue: number[] = [];
  const proposals: number[][] = [];
  let initLevel: { bestTrue: number; sampledBestTrue: number } | undefined;
  sorted.forEach((r, i) => {
    const u = (v: number) => utilityOf(problem, v);
    if (best < 0 || u(r.measurement!.objective) > u(sorted[best].measurement!.objective)) best = i;
    if (sampled < 0 || u(truth[i]) > u(truth[sampled])) sampled = i;
    if (r.phase === "init" && sorted[i + 1]?.phase !== "init") initLevel = { bestTrue: truth[best], sampledBestTrue: truth[sampled] };
    if (r.phase !== "init") {
      bestTrue.push(truth[best]);
      sampledBestTrue.push(truth[sampled]);
      proposals.push(toArray(problem.space, r.condition));
    }
  });
  return { bestTrue, sampledBestTrue, proposals, ...(initLevel ? { initLevel } : {}) };
}
