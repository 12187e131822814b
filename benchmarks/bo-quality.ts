/**
 * Optimizer quality benchmark (issue 4 goals), run after `npx tsc -p .`:
 *
 *   node dist/benchmarks/bo-quality.js [--quick] [--oracles LIST] [--strategies LIST]
 *        [--seeds N] [--workers K] [--timing-iterations N] [--timing-strategy NAME]
 *
 * For each oracle (a twin file wrapped by the simulator; default: the published Chem1
 * twin plus any project twins found as twins/chem{1,2,3}*.json in the working folder):
 * - warm start: 60 LHS points + 16 optimizer experiments at 4 % noise; goal: median over
 *   20 seeds of the best true PLQY >= 99 % of the oracle's maximum (thorough search);
 * - cold start: 10 Sobol points + 30 experiments; goal >= 97 %;
 * random search beside each. Then the time of one optimizer iteration (surrogate retrain
 * + acquisition optimisation) of the main strategy on 60 + k points; goal < 5 s.
 * --quick (CI, < 1 min): published Chem1 twin only, 2 seeds, 60+4 and 10+6, gp-ei and random;
 * the iteration time is still that of `ei` (ENN), over 3 iterations.
 * Writes benchmarks/results/bo-quality[.quick].json and per-scenario results.json,
 * summary.md and best-true.svg under benchmarks/results/bo-quality[-quick]/.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { Rng } from "../src/core/rng.js";
import { DEFAULT_SPACE, PAPER_PROBLEM } from "../src/twin/space.js";
import { findDataRoot, resolveTwinPath } from "../src/twin/dataPaths.js";
import { initialDesign } from "../src/bo/design/initialDesign.js";
import { deriveSeed } from "../src/bo/campaign/seeds.js";
import { MemoryJournal } from "../src/bo/campaign/memoryJournal.js";
import { runCampaign } from "../src/bo/campaign/runner.js";
import { quantile, summarise } from "../src/bo/bench/summary.js";
import type { BenchSettings } from "../src/bo/bench/settings.js";
import { buildBenchmarkLab, describeOracle, parseOracle, type OracleSpec } from "../src/cli/labs.js";
import { runBenchmark } from "../src/cli/runBenchmark.js";
import { createStrategy } from "../src/cli/strategyResolver.js";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes("--quick");
const mainStrategy = quick ? "gp-ei" : "enn-ei";
const strategies = (flag("strategies") ?? `${mainStrategy},random`).split(",");
const seeds = Number(flag("seeds") ?? (quick ? 2 : 20));
const workers = Number(flag("workers") ?? Math.max(1, availableParallelism() - 1));
const timingIterations = Number(flag("timing-iterations") ?? (quick ? 3 : 6));
/** The iteration-time goal is about the ENN-based iteration, so it is timed even in --quick. */
const timingStrategy = flag("timing-strategy") ?? "enn-ei";
const scenarios = quick
  ? [
      { id: "warm", init: { kind: "lhs" as const, count: 60 }, budget: 4, goal: 99 },
      { id: "cold", init: { kind: "sobol" as const, count: 10 }, budget: 6, goal: 97 },
    ]
  : [
      { id: "warm", init: { kind: "lhs" as const, count: 60 }, budget: 16, goal: 99 },
      { id: "cold", init: { kind: "sobol" as const, count: 10 }, budget: 30, goal: 97 },
    ];

/** Short unique name of an oracle: published twins are prefixed so they never collide with project twins of the same chemistry. */
function oracleName(oracle: OracleSpec): string {
  if (oracle.kind !== "twin") return oracle.name;
  const base = basename(oracle.file).replace(/\.json$/, "");
  return dirname(resolve(oracle.file)) === join(findDataRoot(), "twins") ? `published-${base}` : base;
}

/** Default oracles: the published Chem1 twin and any project twins under twins/. */
function defaultOracles(): string[] {
  const out = [resolveTwinPath("chem1")];
  if (quick) return out;
  const dir = resolve("twins");
  if (existsSync(dir)) for (const f of readdirSync(dir).sort()) if (/^chem[123].*\.json$/.test(f)) out.push(join(dir, f));
  return out;
}

/** Per-iteration wall time of a strategy: retrain, acquisition optimisation, whole ask. */
async function iterationTiming(oracle: OracleSpec, strategy: string) {
  const lab = await buildBenchmarkLab(oracle, { noise: 0.04, seed: 1 });
  const s = await createStrategy({ name: strategy }, { space: DEFAULT_SPACE, seed: 1 });
  const journal = new MemoryJournal();
  await runCampaign({
    journal,
    lab,
    strategy: s,
    problem: PAPER_PROBLEM,
    budget: timingIterations,
    finalExploit: false,
    init: { kind: "design", label: "lhs:60", conditions: initialDesign({ kind: "lhs", count: 60 }, DEFAULT_SPACE, new Rng(deriveSeed(1, "design"))) },
  });
  s.dispose?.();
  await lab.close();
  const indices = [...new Set(journal.timings.filter((t) => t.step === "ask").map((t) => t.index))].sort((a, b) => a - b);
  const at = (step: string, idx: readonly number[]) => journal.timings.filter((t) => t.step === step && idx.includes(t.index)).map((t) => t.seconds);
  const med = (xs: number[]) => (xs.length ? quantile(xs, 0.5) : null);
  const breakdown = (idx: readonly number[]) => ({
    iterations: idx.length,
    fit: med(at("fit", idx)),
    acquisition: med(at("acquisition", idx)),
    ask: med(at("ask", idx)),
  });
  // The first fit trains from scratch; later ones are warm-started, the typical campaign iteration.
  return { strategy, first: breakdown(indices.slice(0, 1)), later: breakdown(indices.slice(1)), raw: journal.timings };
}

const t0 = Date.now();
const outRoot = resolve("benchmarks/results", quick ? "bo-quality-quick" : "bo-quality");
const report: Record<string, unknown>[] = [];
const oracles = (flag("oracles")?.split(",") ?? defaultOracles()).map((o) => parseOracle(o));
console.log(
  `bo-quality${quick ? " (quick)" : ""}: ${oracles.length} oracle(s), strategies ${strategies.join(", ")}, ${seeds} seeds, ${workers} worker(s), ${cpus().length} cores (shared: numbers under contention)`,
);
for (const oracle of oracles) {
  console.log(`oracle ${oracle.kind === "twin" ? oracle.file : oracle.name}: searching its maximum ...`);
  const oracleInfo = await describeOracle(oracle, { quick });
  for (const sc of scenarios) {
    const settings: BenchSettings = {
      strategies: strategies.map((name) => ({ name })),
      seeds: Array.from({ length: seeds }, (_, i) => i + 1),
      budget: sc.budget,
      init: sc.init,
      noise: 0.04,
      finalExploit: true,
      quick,
    };
    const name = oracleName(oracle);
    const out = join(outRoot, `${name}-${sc.id}`);
    const { results, seconds } = await runBenchmark({ oracle, oracleInfo, settings, workers, out, progress: (l) => console.log(`  ${l}`) });
    for (const s of summarise(results)) {
      const row = {
        oracle: name,
        scenario: `${sc.id} (${sc.init.kind}:${sc.init.count} + ${sc.budget})`,
        strategy: s.name,
        seeds: s.runs,
        oracleMax: results.oracle.max,
        medianBestTrue: s.finalMedian,
        percentOfMax: s.finalPercentOfMax,
        goalPercent: sc.goal,
        meetsGoal: s.name === "random" || quick ? null : s.finalPercentOfMax >= sc.goal,
        medianSecondsPerRun: s.medianSeconds,
        scenarioSeconds: seconds,
        out,
      };
      report.push(row);
      console.log(
        `${name} ${row.scenario} ${s.name}: median best true ${s.finalMedian.toFixed(4)} = ${s.finalPercentOfMax.toFixed(1)} % of max ${results.oracle.max.toFixed(4)}` +
          (s.name === "random" ? "" : quick ? ` (goal ${sc.goal} % applies to the full run)` : ` (goal ${sc.goal} %: ${row.meetsGoal ? "met" : "NOT met"})`),
      );
    }
  }
}
console.log(`timing ${timingIterations} ${timingStrategy} iterations after 60 LHS points (the first fit is from scratch, later ones warm-started) ...`);
const timing = await iterationTiming(oracles[0], timingStrategy);
const f = (v: number | null) => (v === null ? "-" : v.toFixed(2));
for (const [label, b] of [
  ["first (from scratch)", timing.first],
  ["later (warm-started), median", timing.later],
] as const) {
  console.log(
    `  ${label}: retrain ${f(b.fit)} s + acquisition ${f(b.acquisition)} s = ask ${f(b.ask)} s over ${b.iterations} iteration(s) (goal < 5 s: ${b.ask !== null && b.ask < 5 ? "met" : "NOT met"})`,
  );
}
const ask = timing.later.ask ?? NaN;
mkdirSync("benchmarks/results", { recursive: true });
const file = resolve("benchmarks/results", quick ? "bo-quality.quick.json" : "bo-quality.json");
writeFileSync(
  file,
  JSON.stringify(
    {
      quick,
      strategies,
      seeds,
      workers,
      cores: cpus().length,
      seconds: (Date.now() - t0) / 1000,
      results: report,
      timing: { ...timing, goalSeconds: 5, meetsGoal: ask < 5 },
    },
    null,
    1,
  ) + "\n",
);
console.log(`wrote ${file} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
