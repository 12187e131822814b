import { mkdirSync } from "node:fs";
import { runInWorkers } from "../bo/bench/workerPool.js";
import { benchTasks, taskKey, type BenchSettings, type BenchTask } from "../bo/bench/settings.js";
import type { BenchRun } from "../bo/bench/runSeed.js";
import { regretOf, type BenchFailure, type BenchResults, type OracleInfo } from "../bo/bench/summary.js";
import { writeBenchOutputs } from "../bo/bench/outputs.js";
import { lineChartSvg } from "../report/svg/lineChart.js";
import { assembleResults } from "../bo/bench/assemble.js";
import { shardTasks, type Shard } from "../bo/bench/shard.js";
import { hasRunLog, RunLog, RUN_LOG_FILE } from "../bo/bench/runLog.js";
import { UsageError } from "../core/errors.js";
import { describeOracle, problemOfOracle, type OracleSpec } from "./labs.js";
import { runBenchTask, type BenchTaskData } from "./benchTask.js";
import { createStrategy } from "./strategyResolver.js";
import { canonicalJson } from "./queue/jobId.js";
import type { RedisTarget } from "./queue/redisUrl.js";

/**
 * The compiled worker script. Workers always run dist/ JavaScript: from dist/ it sits
 * beside this file; from the TypeScript sources (tests) it is looked up in dist/.
 */
export function benchWorkerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("../../dist/src/cli/benchWorker.js", here) : new URL("./benchWorker.js", here);
}

export interface RunBenchmarkOptions {
  oracle: OracleSpec;
  settings: BenchSettings;
  /** Worker threads; 0 runs everything in this thread, one run after another. */
  workers: number;
  /** Output folder; nothing is written when undefined. */
  out?: string;
  progress?: (line: string) => void;
  /** The oracle's description when already computed (its thorough search is the slow part). */
  oracleInfo?: OracleInfo;
  /** Run every task as a job on this BullMQ queue (workers: `sdfl worker`) instead of locally. */
  queue?: RedisTarget;
  /** Run only this share of the sweep (join shares with `sdfl bench merge`). */
  shard?: Shard;
  /** Continue the sweep whose run log is in `out`: finished runs are kept, the rest run. */
  resume?: boolean;
}

/**
 * Run a benchmark: the oracle's maximum by thorough search, then every strategy on every
 * seed (in parallel worker threads, or as jobs on a queue), then results.json, summary.md
 * and best-true.svg. Each finished run is appended to out/runs.jsonl as it finishes. A
 * run that fails is reported once per strategy in `failures`; that strategy's remaining
 * runs are skipped, the other strategies go on, and finished runs are kept.
 */
export async function runBenchmark(
  o: RunBenchmarkOptions,
): Promise<{ results: BenchResults; files?: Record<string, string>; seconds: number; failures: BenchFailure[] }> {
  const t0 = Date.now();
  // Load user strategy modules once up front, so a broken module fails before any run.
  const { space } = await problemOfOracle(o.oracle);
  for (const ref of o.settings.strategies) if (ref.module) (await createStrategy(ref, { space, seed: 0 })).dispose?.();
  const all = benchTasks(o.settings);
  const tasks = o.shard ? shardTasks(all, o.shard) : all;
  const runs = new Map<string, BenchRun>();
  const log = o.out ? openRunLog({ ...o, out: o.out }) : undefined;
  if (log) for (const [k, r] of log.runs) runs.set(k, r);
  if (log && runs.size > 0) o.progress?.(`resuming: ${runs.size} of ${tasks.length} runs already finished (${log.log.file})`);

  // A wrong --queue address fails before the slow oracle search.
  if (o.queue) await (await import("./queue/redisUrl.js")).checkRedisReachable(o.queue);
  if (!o.oracleInfo) o.progress?.(`oracle: searching its maximum${o.settings.quick ? " (quick)" : ""} ...`);
  const oracle = o.oracleInfo ?? (await describeOracle(o.oracle, { quick: o.settings.quick }));
  const minimize = oracle.goal === "minimize";
  o.progress?.(`oracle ${oracle.name}: ${minimize ? "min" : "max"} ${oracle.max.toFixed(5)} (${oracle.kind})`);
  // A minimised objective has no "% of max": its runs are reported by their regret.
  const score = (v: number) => (minimize ? `regret ${regretOf(v, oracle.max, oracle.goal).toPrecision(3)}` : `${((100 * v) / oracle.max).toFixed(1)} % of max`);

  const todo = tasks.filter((t) => !runs.has(taskKey(t)));
  const failures: BenchFailure[] = [];
  const failed = new Set<string>();
  let done = runs.size;
  const doneBefore = runs.size;
  const runsStart = Date.now();
  const onDone = (task: BenchTask, r: BenchRun) => {
    runs.set(taskKey(task), r);
    log?.log.addRun(task.strategy.name, r);
    const last = r.bestTrue[r.bestTrue.length - 1];
    o.progress?.(
      `[${++done}/${tasks.length}] ${task.strategy.name} seed ${task.seed}: recommendation ${score(r.recommendedTrue[r.recommendedTrue.length - 1])}, best reading's true value ${last?.toFixed(5)} (${score(last)}) in ${r.seconds.toFixed(1)} s${etaText(runsStart, done - doneBefore, todo.length)}`,
    );
  };
  const onFail = (task: BenchTask, e: Error) => {
    if (failed.has(task.strategy.name)) return;
    failed.add(task.strategy.name);
    const hint = (e as { hint?: string }).hint;
    // The message without the "strategy X, seed K: " the pools put first: the failure names both.
    const message = e.message.replace(/^strategy .*?, seed \d+: /, "");
    const f: BenchFailure = { strategy: task.strategy.name, seed: task.seed, error: message + (hint ? `\n  hint: ${hint}` : "") };
    failures.push(f);
    log?.log.addFailure(f);
    o.progress?.(`strategy ${task.strategy.name} failed (seed ${task.seed}); its remaining runs are skipped, the others go on`);
  };
  const skip = (task: BenchTask) => failed.has(task.strategy.name);
  // Parallel runs each train their ENN on one thread; a lone run may use the ENN's own threads.
  const data = (task: BenchTask): BenchTaskData => ({ oracle: o.oracle, settings: o.settings, task, ...(o.workers > 1 || o.queue ? { ennWorkers: 1 } : {}) });

  if (o.queue) {
    const { runTasksOnQueue } = await import("./queue/benchQueue.js");
    await runTasksOnQueue(todo, { target: o.queue, data, onDone, onFail, skip, progress: o.progress });
  } else if (o.workers > 0) {
    await runInWorkers<BenchTask, BenchRun>(todo, {
      workers: o.workers,
      workerUrl: benchWorkerUrl(),
      workerData: data,
      onDone: (t, r) => onDone(t, r),
      onFail,
      skip,
      describe: (t) => `strategy ${t.strategy.name}, seed ${t.seed}`,
    });
  } else {
    for (const t of todo) {
      if (skip(t)) continue;
      try {
        onDone(t, await runBenchTask(data(t)));
      } catch (e) {
        onFail(t, e as Error);
      }
    }
  }
  const seconds = (Date.now() - t0) / 1000;
  const settings = {
    ...o.settings,
    workers: o.queue ? "queue" : o.workers,
    ...(o.queue ? { queue: o.queue.display } : {}),
    ...(o.shard ? { shard: o.shard } : {}),
    finishedAt: new Date().toISOString(),
    seconds,
  };
  const results = assembleResults(oracle, settings, tasks, runs, failures);
  const files = o.out ? await writeBenchOutputs(results, o.out, lineChartSvg) : undefined;
  return { results, files, seconds, failures };
}

/** What identifies a sweep in its run log: a resume must be the same sweep. */
function sweepOf(o: RunBenchmarkOptions): Record<string, unknown> {
  return JSON.parse(canonicalJson({ oracle: o.oracle, settings: o.settings, shard: o.shard ?? null })) as Record<string, unknown>;
}

/** Create the run log in `out`, or open it for `--resume` after checking it is the same sweep. */
function openRunLog(o: RunBenchmarkOptions & { out: string }): { log: RunLog; runs: Map<string, BenchRun> } {
  const sweep = sweepOf(o);
  if (o.resume) {
    if (!hasRunLog(o.out))
      throw new UsageError(`--resume: ${o.out} has no ${RUN_LOG_FILE}, so there is no benchmark to continue`, "run without --resume to start one");
    const { log, contents } = RunLog.open(o.out);
    const was = contents.sweep;
    const changed = Object.keys({ ...was, ...sweep }).filter((k) => canonicalJson(was[k]) !== canonicalJson(sweep[k]));
    if (changed.length > 0) {
      const detail = changed.flatMap((k) =>
        k === "settings"
          ? Object.keys({ ...(was.settings as object), ...(sweep.settings as object) }).filter(
              (s) => canonicalJson((was.settings as Record<string, unknown>)[s]) !== canonicalJson((sweep.settings as Record<string, unknown>)[s]),
            )
          : [k],
      );
      throw new UsageError(
        `--resume: the benchmark in ${o.out} was started with different ${detail.join(", ")}`,
        "give the same oracle and flags as the first run (only --workers, --queue and --quiet may change), or use another --out",
      );
    }
    return { log, runs: contents.runs };
  }
  if (hasRunLog(o.out))
    throw new UsageError(`${o.out} already holds the runs of a benchmark (${RUN_LOG_FILE})`, "pass --resume to continue it, or choose another --out");
  mkdirSync(o.out, { recursive: true });
  return { log: RunLog.create(o.out, sweep), runs: new Map() };
}

/** "; sweep ETA 3 min" from the pace so far (wall clock since the first run started, runs done of total). */
function etaText(startMs: number, done: number, total: number): string {
  if (done >= total || done <= 0) return "";
  const s = ((Date.now() - startMs) / 1000 / done) * (total - done);
  return `; sweep ETA ${s < 90 ? `${Math.round(s)} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`}`;
}
