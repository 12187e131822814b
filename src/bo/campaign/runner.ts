import { performance } from "node:perf_hooks";
import { realiseCondition, setPointsOf, utilityOf, type Problem } from "../problem/problem.js";
import type { Condition } from "../problem/space.js";
import { sameExperiment } from "../strategies/resolution.js";
import type { Lab, Measurement } from "../lab.js";
import type { Observation, Proposal, Strategy } from "../strategy.js";
import type { CampaignJournal, ExperimentRecord, Phase } from "./journal.js";
import { acquisitionSecondsOf } from "./proposalInfo.js";
import type { Recommendation } from "../recommend/recommendation.js";
import { isReplicate, replicateSummary, type ReplicateSummary } from "./replicates.js";
import { predictionInfoAsObjective, recommendationAsObjective } from "./orientation.js";

/** Initial data of a campaign: rows of a data set, or new design points measured on the lab. */
export type InitPlan = { kind: "dataset"; label: string; rows: readonly Measurement[] } | { kind: "design"; label: string; conditions: readonly Condition[] };

/** A progress event; the CLI prints one line per event. */
export interface CampaignProgress {
  kind: "init-loaded" | "experiment-done" | "resumed";
  index: number;
  phase?: Phase;
  /** Optimizer experiments done so far, and the budget. */
  optimizerDone: number;
  budget: number;
  /** Measured objective of this experiment. */
  objective?: number;
  /** Best measured objective so far (the largest, or the smallest for a minimize problem). */
  best?: number;
  condition?: Condition;
  /** Wall-clock seconds of the lab run, and of the strategy's ask that chose the point. */
  seconds?: number;
  askSeconds?: number;
  message?: string;
  /** For a measurement of the final recommendation: which replicate (1-based); `budget` is then the number of replicates. */
  replicate?: number;
}

export interface RunCampaignOptions {
  journal: CampaignJournal;
  lab: Lab;
  /** A fresh strategy: the runner tells it everything the journal already holds. */
  strategy: Strategy;
  /** The problem: its space, fixed inputs and set points, and the objective's goal. */
  problem: Problem;
  init: InitPlan;
  /** Optimizer-chosen experiments after the initial data. */
  budget: number;
  /** The last optimizer experiment is pure exploitation (posterior mean). */
  finalExploit: boolean;
  /**
   * Measure the final recommendation this many times after the budget (experiments of
   * phase "exploit" labelled `info.replicate` k of K). Default 0. Needs a strategy with
   * `recommend`.
   */
  replicates?: number;
  onProgress?: (p: CampaignProgress) => void;
  signal?: AbortSignal;
}

export interface CampaignOutcome {
  experiments: ExperimentRecord[];
  /** The done experiment with the best measured objective. */
  best: ExperimentRecord;
  /**
   * The strategy's final recommendation (posterior-mean maximiser after every
   * measurement), when the strategy makes recommendations, its predicted mean and
   * interval in the objective's own orientation (the objective, not the negated utility,
   * for a minimize problem); with `replicates`, what its replicate measurements gave.
   */
  recommendation?: Recommendation;
  replicates?: ReplicateSummary;
}

/**
 * Run (or resume) a campaign: initial data, then `budget` optimizer experiments by
 * ask/tell. Every proposal is journaled before the lab runs it and every measurement
 * before the next ask, so after a crash calling this again with the same journal and
 * settings continues where it stopped: finished experiments are not repeated and an
 * experiment that was proposed but not finished is run again with the same condition.
 */
export async function runCampaign(o: RunCampaignOptions): Promise<CampaignOutcome> {
  const { journal, strategy } = o;
  let rows = journal.experiments();
  const resumed = rows.length > 0;

  if (!rows.some((r) => r.phase === "init")) writeInit(o);
  rows = journal.experiments();
  const initRows = rows.filter((r) => r.phase === "init");
  for (const r of initRows) {
    if (r.status === "done") continue;
    await new Promise((res) => setImmediate(res));
    o.signal?.throwIfAborted();
    await runOne(o, r, initRows.length);
  }

  rows = journal.experiments();
  const done = rows.filter((r) => r.status === "done");
  await strategy.tell(done.map((r) => observationOf(o.problem, r)));
  const optimizerDone = () => journal.experiments().filter((r) => r.phase !== "init" && r.status === "done" && !isReplicate(r)).length;
  o.onProgress?.({
    kind: resumed ? "resumed" : "init-loaded",
    index: done.length - 1,
    optimizerDone: optimizerDone(),
    budget: o.budget,
    best: bestOf(done, o.problem)?.measurement?.objective,
    message: `${done.length} experiments with results (${o.init.label})`,
  });

  // An optimizer experiment proposed before a crash but not finished: run the same proposal again.
  for (const r of rows.filter((r) => r.phase !== "init" && !isReplicate(r) && (r.status === "proposed" || r.status === "running"))) {
    const m = await runOne(o, r, o.budget);
    await strategy.tell([observationOf(o.problem, { ...r, measurement: m })]);
  }

  let nextIndex = Math.max(-1, ...journal.experiments().map((r) => r.index)) + 1;
  for (let k = optimizerDone(); k < o.budget; k = optimizerDone()) {
    // Let the event loop run (signal handlers, I/O): labs and strategies may be synchronous underneath.
    await new Promise((r) => setImmediate(r));
    o.signal?.throwIfAborted();
    const exploit = o.finalExploit && k === o.budget - 1;
    const t0 = performance.now();
    const [proposal] = await strategy.ask(1, [], { exploit, progress: { done: k, budget: o.budget } });
    const askSeconds = (performance.now() - t0) / 1000;
    if (!proposal) throw new Error(`strategy ${strategy.name} returned no proposal`);
    // Predictions are journaled in the objective's own orientation (not negated for a minimize problem).
    const info = predictionInfoAsObjective(o.problem, serialisableInfo(proposal) ?? {});
    const condition = realiseCondition(o.problem, proposal.condition);
    // Flag (never alter) a proposal that repeats an experiment already run at the lab's
    // resolution (rounded to each input's resolution): a diagnostic for the strategy.
    const twin = journal.experiments().find((r) => r.status === "done" && sameExperiment(o.problem.space, r.condition, condition));
    if (twin) info.repeatsExperiment = twin.index;
    // The model's recommended best condition at this step (same fit as the proposal).
    const t2 = performance.now();
    const told = await strategy.recommend?.();
    const recommendation = told ? recommendationAsObjective(o.problem, told) : undefined;
    if (recommendation) info.recommendation = JSON.parse(JSON.stringify(recommendation));
    const record = {
      index: nextIndex++,
      phase: (exploit ? "exploit" : "optimizer") as Phase,
      source: "lab" as const,
      condition,
      setPoints: setPointsOf(o.problem, condition),
      info,
    };
    journal.propose([record]);
    journal.recordTiming(record.index, "ask", askSeconds);
    if (recommendation) journal.recordTiming(record.index, "recommend", (performance.now() - t2) / 1000);
    if (proposal.fit) {
      journal.recordFit({ ...proposal.fit, index: record.index });
      journal.recordTiming(record.index, "fit", proposal.fit.seconds);
    }
    const acq = acquisitionSecondsOf(proposal);
    if (acq !== undefined) journal.recordTiming(record.index, "acquisition", acq);
    const m = await runOne(o, { ...record, status: "proposed" }, o.budget, askSeconds);
    const t1 = performance.now();
    await strategy.tell([observationOf(o.problem, { ...record, status: "done", measurement: m })]);
    journal.recordTiming(record.index, "tell", (performance.now() - t1) / 1000);
  }
  const final = await finalRecommendation(o, nextIndex);
  journal.finish("finished");
  const all = journal.experiments();
  return {
    experiments: all,
    best: bestOf(
      all.filter((r) => r.status === "done"),
      o.problem,
    )!,
    ...final,
  };
}

/**
 * After the budget: the strategy's recommendation given every measurement, then
 * `replicates` measurements of it. On resume, replicates already journaled keep their
 * condition (the recommendation is not recomputed for them) and only the missing ones run.
 */
async function finalRecommendation(o: RunCampaignOptions, nextIndex: number): Promise<{ recommendation?: Recommendation; replicates?: ReplicateSummary }> {
  const K = o.replicates ?? 0;
  if (!o.strategy.recommend) {
    if (K > 0) throw new Error(`strategy ${o.strategy.name} makes no recommendations, so --replicates cannot be measured`);
    return {};
  }
  let existing = o.journal.experiments().filter(isReplicate);
  // A replicate journaled before a crash holds the recommendation already in the objective's orientation.
  let recommendation = existing[0]?.info?.recommendation as Recommendation | undefined;
  if (!recommendation) {
    const told = await o.strategy.recommend();
    recommendation = told ? recommendationAsObjective(o.problem, told) : undefined;
  }
  if (!recommendation || K === 0) return { recommendation };
  if (existing.length === 0) {
    o.journal.propose(
      Array.from({ length: K }, (_, k) => ({
        index: nextIndex + k,
        phase: "exploit" as Phase,
        source: "lab" as const,
        condition: realiseCondition(o.problem, recommendation!.condition),
        setPoints: setPointsOf(o.problem, realiseCondition(o.problem, recommendation!.condition)),
        info: { replicate: k + 1, replicates: K, recommendation: JSON.parse(JSON.stringify(recommendation)) },
      })),
    );
    existing = o.journal.experiments().filter(isReplicate);
  }
  for (const r of existing) {
    if (r.status === "done") continue;
    await new Promise((res) => setImmediate(res));
    o.signal?.throwIfAborted();
    await runOne(o, r, K);
  }
  return { recommendation, replicates: replicateSummary(o.journal.experiments().filter(isReplicate)) };
}

function writeInit(o: RunCampaignOptions): void {
  if (o.init.kind === "dataset") {
    o.journal.addDone(
      o.init.rows.map((m, i) => ({
        proposal: {
          index: i,
          phase: "init" as const,
          source: "dataset" as const,
          condition: m.condition,
          setPoints: m.setPoints ?? setPointsOf(o.problem, m.condition),
          info: { from: o.init.label },
        },
        measurement: m,
      })),
    );
  } else {
    o.journal.propose(
      o.init.conditions.map((c, i) => ({
        index: i,
        phase: "init" as const,
        source: "lab" as const,
        condition: realiseCondition(o.problem, c),
        setPoints: setPointsOf(o.problem, realiseCondition(o.problem, c)),
        info: { design: o.init.label },
      })),
    );
  }
}

/** Run one journaled experiment on the lab; the measurement is committed before returning. */
async function runOne(o: RunCampaignOptions, r: ExperimentRecord, total: number, askSeconds?: number): Promise<Measurement> {
  o.journal.markRunning(r.index);
  const t0 = performance.now();
  let m: Measurement;
  try {
    m = await o.lab.run(r.condition, o.signal);
  } catch (e) {
    // An interruption is not a failure: the experiment stays `running` and a resume re-runs it.
    if (o.signal?.aborted) throw e;
    o.journal.markFailed(r.index, (e as Error).message ?? String(e));
    o.journal.finish("failed");
    throw e;
  }
  const seconds = (performance.now() - t0) / 1000;
  o.journal.recordMeasurement(r.index, m, { run: seconds });
  const done = o.journal.experiments().filter((x) => x.status === "done");
  o.onProgress?.({
    kind: "experiment-done",
    index: r.index,
    phase: r.phase,
    objective: m.objective,
    best: bestOf(done, o.problem)?.measurement?.objective,
    condition: m.condition,
    seconds,
    budget: total,
    ...(askSeconds !== undefined ? { askSeconds } : {}),
    optimizerDone: r.phase === "init" ? done.filter((x) => x.phase === "init").length : done.filter((x) => x.phase !== "init" && !isReplicate(x)).length,
    ...(isReplicate(r) ? { replicate: r.info!.replicate as number } : {}),
  });
  return m;
}

/** What the strategy is told about a done experiment: objective oriented so that larger is better. */
export function observationOf(problem: Pick<Problem, "objective">, r: ExperimentRecord): Observation {
  const m = r.measurement!;
  return { condition: m.condition, objective: utilityOf(problem, m.objective), outcomes: m.outcomes };
}

/** The done record with the best measured objective (undefined when none). */
export function bestOf(rows: readonly ExperimentRecord[], problem: Pick<Problem, "objective">): ExperimentRecord | undefined {
  let best: ExperimentRecord | undefined;
  for (const r of rows) if (r.measurement && (!best || utilityOf(problem, r.measurement.objective) > utilityOf(problem, best.measurement!.objective))) best = r;
  return best;
}

/** Proposal info made JSON-safe (typed arrays to plain arrays, non-finite numbers to null). */
function serialisableInfo(p: Proposal): Record<string, unknown> | undefined {
  if (!p.info) return undefined;
  return JSON.parse(JSON.stringify(p.info, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v)));
}
