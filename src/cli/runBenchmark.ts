import { runInWorkers } from "../bo/bench/workerPool.js";
import { benchTasks, type BenchSettings } from "../bo/bench/settings.js";
import type { BenchRun } from "../bo/bench/runSeed.js";
import type { BenchResults, OracleInfo } from "../bo/bench/summary.js";
import { writeBenchOutputs } from "../bo/bench/outputs.js";
import { lineChartSvg } from "../report/svg/lineChart.js";
import { describeOracle, type OracleSpec } from "./labs.js";
import { runBenchTask, type BenchTaskData } from "./benchTask.js";
import { createStrategy } from "./strategyResolver.js";
import { DEFAULT_SPACE } from "../twin/space.js";

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
}

/**
 * Run a benchmark: the oracle's maximum by thorough search, then every strategy on every
 * seed (in parallel worker threads), then results.json, summary.md and best-true.svg.
 */
export async function runBenchmark(o: RunBenchmarkOptions): Promise<{ results: BenchResults; files?: Record<string, string>; seconds: number }> {
  const t0 = Date.now();
  // Load user strategy modules once up front, so a broken module fails before any run.
  for (const ref of o.settings.strategies) if (ref.module) (await createStrategy(ref, { space: DEFAULT_SPACE, seed: 0 })).dispose?.();
  if (!o.oracleInfo) o.progress?.(`oracle: searching its maximum${o.settings.quick ? " (quick)" : ""} ...`);
  const oracle = o.oracleInfo ?? (await describeOracle(o.oracle, { quick: o.settings.quick }));
  o.progress?.(`oracle ${oracle.name}: max ${oracle.max.toFixed(5)} (${oracle.kind})`);
  const tasks = benchTasks(o.settings);
  // Parallel runs each train their ENN on one thread; a lone run may use the ENN's own threads.
  const data = (task: (typeof tasks)[number]): BenchTaskData => ({ oracle: o.oracle, settings: o.settings, task, ...(o.workers > 1 ? { ennWorkers: 1 } : {}) });
  const runsStart = Date.now();
  const report = (task: (typeof tasks)[number], r: BenchRun, n: number) => {
    const last = r.bestTrue[r.bestTrue.length - 1];
    o.progress?.(
      `[${n}/${tasks.length}] ${task.strategy.name} seed ${task.seed}: best true ${last?.toFixed(5)} (${((100 * last) / oracle.max).toFixed(1)} % of max) in ${r.seconds.toFixed(1)} s${etaText(runsStart, n, tasks.length)}`,
    );
  };
  let runs: BenchRun[];
  if (o.workers > 0) {
    runs = await runInWorkers(tasks, {
      workers: o.workers,
      workerUrl: benchWorkerUrl(),
      workerData: data,
      onDone: report,
      describe: (t) => `strategy ${t.strategy.name}, seed ${t.seed}`,
    });
  } else {
    runs = [];
    for (const t of tasks) {
      runs.push(await runBenchTask(data(t)));
      report(t, runs[runs.length - 1], runs.length);
    }
  }
  const strategies: BenchResults["strategies"] = {};
  tasks.forEach((t, i) => (strategies[t.strategy.name] ??= { runs: [] }).runs.push(runs[i]));
  const seconds = (Date.now() - t0) / 1000;
  const results: BenchResults = {
    oracle,
    settings: { ...o.settings, workers: o.workers, finishedAt: new Date().toISOString(), seconds },
    strategies,
  };
  const files = o.out ? await writeBenchOutputs(results, o.out, lineChartSvg) : undefined;
  return { results, files, seconds };
}

/** "; sweep ETA 3 min" from the pace so far (wall clock since the first run started, runs done of total). */
export function etaText(startMs: number, done: number, total: number): string {
  if (done >= total || done <= 0) return "";
  const s = ((Date.now() - startMs) / 1000 / done) * (total - done);
  return `; sweep ETA ${s < 90 ? `${Math.round(s)} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`}`;
}
