import { availableParallelism } from "node:os";
import { checkOutputFolder, FORCE_OPTION, forced } from "../outputs.js";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { intOpt, numberOpt, stringOpt, type Command, type ParsedOptions } from "../command.js";
import { UsageError } from "../../core/errors.js";
import { assertFiniteResult } from "../../core/finite.js";
import { parseInitSpec } from "../../bo/campaign/initSpec.js";
import { summarise } from "../../bo/bench/summary.js";
import { BENCH_FILES } from "../../bo/bench/outputs.js";
import { RUN_LOG_FILE } from "../../bo/bench/runLog.js";
import type { BenchSettings } from "../../bo/bench/settings.js";
import { parseOracle } from "../labs.js";
import { isModulePath, parseStrategyRefs } from "../strategyResolver.js";
import { BUILTIN_STRATEGY_NAMES, DEFAULT_STRATEGY } from "../builtinStrategies.js";
import { parseNoiseLevel } from "../../bo/noiseLevel.js";
import { runBenchmark } from "../runBenchmark.js";
import { parseRedisUrl } from "../queue/redisUrl.js";
import { parseShard } from "../shardSpec.js";
import { benchMerge } from "./benchMerge.js";
import { printBenchResults, reportFailures } from "../benchPrint.js";

/** The strategies the issue benchmarks by default. */
const DEFAULT_STRATEGIES = [...new Set([DEFAULT_STRATEGY, "random", "enn-ei", "enn-logei", "enn-ucb", "enn-pi", "enn-ts", "gp-ei"])].join(",");
const QUICK = { seeds: 3, budget: 6, init: "lhs:20" };
const FULL = { seeds: 20, budget: 16, init: "lhs:60" };

const bench: Command = {
  path: ["bench"],
  summary: "benchmark optimization strategies offline against a noisy oracle (twin or test function)",
  details: `
Each strategy runs once per seed: a fresh initial design measured on the oracle, then
--budget optimizer-chosen experiments (the last pure exploitation unless
--no-final-exploit). Measurements are noisy; every score is the oracle's TRUE objective:
of the final recommendation (the model's posterior-mean maximiser; the best-measured
point for strategies without a model), of the best MEASURED point, and the best true
value among all measured points. Writes DIR/results.json, DIR/summary.md,
DIR/best-true.svg (best true value measured so far) and DIR/recommended-true.svg (true
value of the recommendation after each experiment); each finished run is
appended to DIR/runs.jsonl as it finishes, so after a failure or Ctrl-C
\`sdfl bench ... --resume\` (same flags) runs only what is missing. A strategy that fails
is reported once; its other runs are skipped, the rest of the sweep goes on (exit 1).
Beyond one machine: --queue redis://HOST:PORT runs each (strategy, seed) as a job for
\`sdfl worker\` processes on any machines; --shard i/N runs one share for a batch
scheduler, joined by \`sdfl bench merge\` (docs/distributed.md).
Defaults: ${FULL.seeds} seeds, budget ${FULL.budget}, --init ${FULL.init}; with --quick ${QUICK.seeds} seeds, budget ${QUICK.budget}, --init ${QUICK.init}
(flags given explicitly win).
example: sdfl bench --oracle hartmann6 --strategy random,gp-ei --seeds 5 --out bench-h6`,
  options: {
    oracle: {
      type: "string",
      arg: "FILE|NAME",
      description:
        "twin file (a twin of your own problem from twin train --problem poses its problem), published twin name (chem1), test problem at its own dimension (branin 2-D, hartmann6 6-D; minimised), one on the reactor's five inputs (branin-reactor5d, hartmann6-reactor5d, styblinski-tang), or an oracle module FILE.mjs (default export { problem, evaluate(conditions), optimum? }); fold:NAME folds it",
    },
    strategy: {
      type: "string",
      arg: "LIST",
      multiple: true,
      description: `comma-separated strategies, repeatable; a name ending in .mjs/.js is a module file (default ${DEFAULT_STRATEGIES}; all: ${BUILTIN_STRATEGY_NAMES.join(",")})`,
    },
    "strategy-module": {
      type: "string",
      arg: "FILE",
      multiple: true,
      description: "your own strategy: a JS module whose default export is a StrategyFactory (repeatable)",
    },
    seeds: { type: "string", arg: "N|A-B", description: "seeds 1..N per strategy, or A..B (e.g. 21-40: fresh seeds to check a choice made on 1-20)" },
    budget: { type: "string", arg: "N", description: "optimizer-chosen experiments per run" },
    init: { type: "string", arg: "SPEC", description: "initial design per run: lhs:N, sobol:N, or N (= lhs:N)" },
    noise: { type: "string", arg: "REL", default: "0.04", description: "relative standard deviation of measurement noise" },
    "noise-sd": {
      type: "string",
      arg: "SPEC",
      description: "noise level the strategies are told: known (= --noise), 4% (relative) or 0.008 (objective units); default: estimated",
    },
    out: { type: "string", arg: "DIR", default: "bench-results", description: "output folder" },
    workers: { type: "string", arg: "K", description: "worker threads (default: cores - 1, at least 1; 0 = no workers)" },
    quick: { type: "boolean", description: "quick mode for CI (fewer seeds, smaller budget, quick oracle search)" },
    "no-final-exploit": { type: "boolean", description: "the last experiment is a normal optimizer choice too" },
    resume: { type: "boolean", description: "continue the benchmark in --out (its runs.jsonl): only missing runs run" },
    queue: { type: "string", arg: "URL", description: "run every run as a job on the BullMQ queue in Redis at redis://HOST:PORT[/DB] (start `sdfl worker`s)" },
    shard: { type: "string", arg: "i/N", description: "run only share i of N (0 <= i < N) of the sweep; join shares with `sdfl bench merge`" },
    force: FORCE_OPTION,
  },
  async run(opts, io) {
    const cmd = "bench";
    const out = resolve(io.cwd, String(opts.out));
    const quick = opts.quick === true;
    const d = quick ? QUICK : FULL;
    const oracle = parseOracle(stringOpt(opts, "oracle", cmd), io.env, io.cwd);
    const init = parseInitSpec(typeof opts.init === "string" ? opts.init : d.init, "--init");
    if (init.kind === "dataset")
      throw new UsageError("--init published is not available for benchmarks", "each run needs a fresh design measured on the oracle: use lhs:N or sobol:N");
    const listed = ((opts.strategy as string[] | undefined) ?? [])
      .flatMap((s) => s.split(","))
      .map((s) => s.trim())
      .filter(Boolean);
    const modules = [...((opts["strategy-module"] as string[] | undefined) ?? []), ...listed.filter(isModulePath)];
    const names = listed.filter((s) => !isModulePath(s));
    const strategies = parseStrategyRefs(names.length || modules.length ? names.join(",") : DEFAULT_STRATEGIES, modules, io.cwd);
    const settings: BenchSettings = {
      strategies,
      seeds: seedRange(opts, cmd, d.seeds),
      budget: intOpt(opts, "budget", cmd, d.budget, 1, 10_000),
      init,
      noise: numberOpt(opts, "noise", cmd, 0.04, 0, 0.5),
      finalExploit: opts["no-final-exploit"] !== true,
      quick,
      ...(typeof opts["noise-sd"] === "string" ? { noiseSd: opts["noise-sd"] } : {}),
    };
    if (settings.noiseSd !== undefined && settings.noiseSd !== "known") parseNoiseLevel(settings.noiseSd);
    const workers = intOpt(opts, "workers", cmd, Math.max(1, availableParallelism() - 1), 0, 256);
    // Before any run, after the arguments: --out must be a writable folder without results. A folder with a run
    // log is the run log's business (--resume continues it; without, the runner refuses it with its own message).
    const hasRunLog = existsSync(join(out, RUN_LOG_FILE));
    checkOutputFolder(out, "--out", { force: forced(opts) || opts.resume === true || hasRunLog, files: hasRunLog ? [] : Object.values(BENCH_FILES) });
    const queue = typeof opts.queue === "string" ? parseRedisUrl(opts.queue) : undefined;
    const shard = typeof opts.shard === "string" ? parseShard(opts.shard) : undefined;
    const { results, files, seconds, failures } = await runBenchmark({
      oracle,
      settings,
      workers,
      out,
      progress: io.progress,
      queue,
      shard,
      resume: opts.resume === true,
    });
    const summaries = summarise(results);
    assertFiniteResult(
      {
        oracleMax: results.oracle.max,
        // A minimised objective has no "% of max" (it is left out of the output): its regret is checked instead.
        summary: summaries.map((s) => ({
          [s.name]: {
            finalMedian: s.finalMedian,
            ...(results.oracle.goal === "minimize" ? { finalMedianRegret: s.finalMedianRegret } : { finalPercentOfMax: s.finalPercentOfMax }),
          },
        })),
      },
      `the benchmark summary (results are in ${out})`,
    );
    printBenchResults(results, files, seconds, opts.json === true, io);
    return reportFailures(failures, io);
  },
};

/** The `sdfl bench` subcommands. */
export const benchCommands: Command[] = [bench, benchMerge];

/** --seeds N (1..N) or A-B (A..B inclusive, 1 <= A <= B <= 10,000); default 1..fallback. */
function seedRange(opts: ParsedOptions, cmd: string, fallback: number): number[] {
  const v = opts.seeds;
  const range = typeof v === "string" ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(v) : null;
  if (!range) {
    const n = intOpt(opts, "seeds", cmd, fallback, 1, 10_000);
    return Array.from({ length: n }, (_, i) => i + 1);
  }
  const [a, b] = [Number(range[1]), Number(range[2])];
  if (a < 1 || b < a || b > 10_000) {
    throw new UsageError(`sdfl ${cmd}: --seeds ${v} is not a range A-B with 1 <= A <= B <= 10000`, "give e.g. --seeds 21-40, or --seeds 20 for seeds 1 to 20");
  }
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}
