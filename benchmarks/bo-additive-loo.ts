/**
 * Leave-one-out gain of the GP's additive kernel part on recorded runs (issue 12, the
 * evidence behind `additiveMargin` of the default strategy). Run after `npx tsc -p .`:
 *
 *   node dist/benchmarks/bo-additive-loo.js [--quick] [--strategy NAME] [--seeds A-B] [--means LIST] [--margin M] [--out FILE] DIR...
 *
 * Every run of --strategy (default gp-ucb-trend-shaped-rec, the strategy whose runs were
 * screened) in each DIR's runs.jsonl is replayed exactly (replayRun.ts; a run that does not
 * reproduce its recorded best sampled point stops the script). At three sizes, the
 * initial design, half the budget and the whole run, a GP with `additiveKernel: "auto"` is
 * fitted to the first n observations; its fit reports the mean leave-one-out log predictive
 * density per observation with and without the additive part, and the gain is their
 * difference (nats per observation). --means: the GP's prior means, constant and/or linear
 * (the default strategy's trend: from 10 observations per input). Prints, per folder, size
 * and mean, the range of the gain over the runs and how many exceed --margin (default 0.5,
 * the default strategy's), and writes benchmarks/results/bo-additive-loo.json (--out).
 * --quick (CI): a 2-seed `sdfl bench --quick` sweep on branin-reactor5d first.
 */
import { loadavg } from "node:os";
import { Rng } from "../src/core/rng.js";
import { quantile } from "../src/bo/bench/summary.js";
import { deriveSeed } from "../src/bo/campaign/seeds.js";
import { toUnit } from "../src/bo/strategies/unitSpace.js";
import { GpSurrogate } from "../src/bo/gp/gpSurrogate.js";
import { problemOfOracle } from "../src/cli/labs.js";
import { resultHead, writeResult } from "./resultFile.js";
import { quickBenchSweep } from "./quickBenchSweep.js";
import { folderArgs } from "./folderArgs.js";
import { readRecordedRuns, replayRun } from "./replayRun.js";
import { oracleLabel } from "./runLogOracle.js";

const { quick, flags, dirs } = folderArgs(process.argv.slice(2));
const load0 = loadavg()[0];
const strategyName = flags.get("strategy") ?? (quick ? "gp-ucb" : "gp-ucb-trend-shaped-rec");
const [seedLo, seedHi] = (flags.get("seeds") ?? "1-1000000").split("-").map(Number);
const means = (flags.get("means") ?? "constant,linear").split(",");
for (const m of means) {
  if (m !== "constant" && m !== "linear") {
    console.error(`bo-additive-loo: --means takes constant and/or linear, got "${m}"`);
    process.exit(2);
  }
}
const margin = Number(flags.get("margin") ?? 0.5);
if (quick) dirs.push(quickBenchSweep("bo-additive-loo", strategyName));
if (dirs.length === 0) {
  console.error("bo-additive-loo: give the output folders of `sdfl bench` sweeps (each with a runs.jsonl)");
  process.exit(2);
}

interface Cell {
  source: string;
  oracle: string;
  n: number;
  mean: string;
  runs: number;
  gains: { seed: number; gain: number; looWith: number; looWithout: number }[];
  min: number;
  median: number;
  max: number;
  aboveMargin: number;
}

const cells: Cell[] = [];
for (const dir of dirs) {
  const { oracle, settings, runs } = readRecordedRuns(dir, strategyName, seedLo, seedHi, "bo-additive-loo");
  if (runs.length === 0) continue;
  const problem = await problemOfOracle(oracle);
  const sizes = [settings.init.count, settings.init.count + Math.floor(settings.budget / 2), settings.init.count + settings.budget];
  const gains = new Map<string, Cell["gains"]>();
  for (const e of runs) {
    const t0 = performance.now();
    const { told, lab } = await replayRun(oracle, settings, problem, e);
    // The replay must reproduce the run: its best sampled point is the recorded one.
    const truth = lab.evaluateTrue(told.map((o) => o.condition));
    await lab.close();
    const sampled = problem.objective.goal === "minimize" ? Math.min(...truth) : Math.max(...truth);
    if (Math.abs(sampled - e.run.sampledBestTrue.at(-1)!) > 1e-12 * Math.max(1, Math.abs(sampled))) {
      console.error(
        `bo-additive-loo: ${dir} seed ${e.seed} does not replay (its best sampled point differs from the recorded one): was it run by another version of sdfl?`,
      );
      process.exit(1);
    }
    const X = told.map((o) => toUnit(problem.space, o.condition));
    const y = told.map((o) => o.objective);
    for (const n of sizes) {
      for (const mean of means) {
        const gp = new GpSurrogate({ additiveKernel: "auto", ...(mean === "linear" ? { mean: "linear", trendMinPerInput: 10 } : {}) });
        const fit = await gp.fit({ X: X.slice(0, n), y: y.slice(0, n) }, new Rng(deriveSeed(e.seed, "loo-fit")));
        const s = fit.meta?.additiveSelection as { looWith: number; looWithout: number };
        const key = `${n}|${mean}`;
        gains.set(key, [...(gains.get(key) ?? []), { seed: e.seed, gain: s.looWith - s.looWithout, looWith: s.looWith, looWithout: s.looWithout }]);
      }
    }
    process.stderr.write(`bo-additive-loo ${dir} seed ${e.seed}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  for (const n of sizes) {
    for (const mean of means) {
      const g = gains.get(`${n}|${mean}`) ?? [];
      const v = g.map((r) => r.gain);
      cells.push({
        source: dir,
        oracle: oracleLabel(oracle),
        n,
        mean,
        runs: g.length,
        gains: g,
        min: Math.min(...v),
        median: quantile(v, 0.5),
        max: Math.max(...v),
        aboveMargin: v.filter((x) => x > margin).length,
      });
    }
  }
}
console.error(`Leave-one-out gain of the additive part, nats per observation (runs of ${strategyName}; margin ${margin}):`);
console.error("| source | oracle | points | prior mean | runs | min | median | max | above margin |");
console.error("|---|---|---|---|---|---|---|---|---|");
for (const c of cells) {
  console.error(
    `| ${c.source.replace(/^.*\//, "")} | ${c.oracle} | ${c.n} | ${c.mean} | ${c.runs} | ${c.min.toFixed(2)} | ${c.median.toFixed(2)} | ${c.max.toFixed(2)} | ${c.aboveMargin} |`,
  );
}
writeResult(
  { ...resultHead("bo-additive-loo", quick, load0), strategy: strategyName, margin, means, unit: "nats per observation", cells },
  flags.get("out") ?? (quick ? "bo-additive-loo.quick.json" : "bo-additive-loo.json"),
);
