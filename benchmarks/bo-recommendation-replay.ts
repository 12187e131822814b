/**
 * Re-score recorded `sdfl bench` runs with other RECOMMENDATION models on exactly the same
 * experiments (run after `npx tsc -p .`):
 *
 *   node dist/benchmarks/bo-recommendation-replay.js [--quick] [--strategy NAME] [--models LIST] [--seeds A-B] [--out FILE] DIR...
 *
 * For every run of --strategy (default gp-ucb) in each DIR's runs.jsonl, the campaign is
 * replayed: the same oracle lab with the same seeded noise, the same initial design and
 * the recorded proposals in order, so every reading is the one the strategy saw (checked:
 * the best true value among the replayed points must equal the recorded `sampledBestTrue`).
 * Each model of --models is then fitted to the final data and its posterior-mean maximiser
 * (the recommendation search of `recommend()`, observed points included) is scored by the
 * oracle's TRUE value as a fraction of its optimum (value / max; value / min for a minimised
 * oracle). Models (GPs): plain (the default GP; only its fit seed differs from the run's,
 * so plain vs recorded shows how much the hyperparameter search alone moves the answer),
 * shaped (`shapedNoise`), known (the sweep's relative noise declared, per observation of its
 * smoothed value), known-reading (per observation of its reading), known-pooled (one
 * variance from the mean reading: what `--noise-sd known` gives), matern32 (the default GP
 * with the once-differentiable Matern 3/2 kernel), trend (linear-trend prior mean), additive
 * (`additiveKernel`), additive-auto (chosen by leave-one-out), linear-kernel, warp (input
 * warping), average-trend (the mean of plain's and trend's posterior means), lcb1 and lcb-half
 * (plain's mu - sigma and mu - sigma / 2 maximised instead of mu), observed (plain's best
 * posterior mean among the observed points only). Paired wins/losses are
 * against plain. Prints a Markdown table, writes benchmarks/results/bo-recommendation-replay.json
 * (--out). --quick (CI): a 2-seed `sdfl bench --quick` sweep of gp-ucb on branin-reactor5d
 * into a temporary folder first, replayed with plain and shaped.
 */
import { loadavg } from "node:os";
import { Rng } from "../src/core/rng.js";
import { quantile } from "../src/bo/bench/summary.js";
import { deriveSeed } from "../src/bo/campaign/seeds.js";
import { toCondition, toUnit } from "../src/bo/strategies/unitSpace.js";
import { GpSurrogate, type GpSurrogateOptions } from "../src/bo/gp/gpSurrogate.js";
import { maximizePosteriorMean } from "../src/bo/recommend/recommendation.js";
import { feasibleSetOf } from "../src/bo/optimize/feasibleSet.js";
import type { Surrogate } from "../src/bo/surrogate.js";
import { describeOracle, problemOfOracle } from "../src/cli/labs.js";
import { resultHead, writeResult } from "./resultFile.js";
import { quickBenchSweep } from "./quickBenchSweep.js";
import { folderArgs } from "./folderArgs.js";
import { readRecordedRuns, replayRun } from "./replayRun.js";

const { quick, flags, dirs } = folderArgs(process.argv.slice(2));
const load0 = loadavg()[0];
const strategyName = flags.get("strategy") ?? "gp-ucb";
const MODEL_NAMES = [
  "plain",
  "shaped",
  "known",
  "known-reading",
  "known-pooled",
  "matern32",
  "trend",
  "additive",
  "additive-auto",
  "linear-kernel",
  "warp",
  "average-trend",
  "lcb1",
  "lcb-half",
  "observed",
] as const;
type ModelName = (typeof MODEL_NAMES)[number];
const models = (flags.get("models")?.split(",") ?? (quick ? ["plain", "shaped"] : MODEL_NAMES.slice(0, 5))) as ModelName[];
for (const m of models) if (!MODEL_NAMES.includes(m)) throw new Error(`unknown model ${m}: choose from ${MODEL_NAMES.join(", ")}`);
const [seedLo, seedHi] = (flags.get("seeds") ?? "1-1000000").split("-").map(Number);

/** The GP options of a model; `noise` is the sweep's relative noise (a fraction). */
function modelOptions(m: ModelName, noise: number): GpSurrogateOptions {
  const declared = { kind: "relative" as const, sd: noise };
  switch (m) {
    case "plain":
      return {};
    case "shaped":
      return { shapedNoise: true };
    case "known":
      return { noise: declared, relativeNoiseLevels: "smoothed" };
    case "known-reading":
      return { noise: declared, relativeNoiseLevels: "reading" };
    case "known-pooled":
      return { noise: declared };
    case "matern32":
      return { kernel: "matern32" };
    case "trend":
      return { mean: "linear" };
    case "additive":
      return { additiveKernel: true };
    case "additive-auto":
      return { additiveKernel: "auto" };
    case "linear-kernel":
      return { linearKernel: true };
    case "warp":
      return { warp: true };
    case "average-trend":
    case "lcb1":
    case "lcb-half":
    case "observed":
      return {};
  }
}

/** Surrogate whose "mean" is the lower confidence bound mu - k sigma of `gp` (a risk-averse recommendation). */
function lowerBound(gp: Surrogate, k: number): Surrogate {
  return {
    name: `mu - ${k} sigma`,
    fit: () => Promise.reject(new Error("fitted once")),
    posterior(X) {
      const p = gp.posterior(X);
      return { mean: p.mean.map((m, i) => m - k * Math.sqrt(Math.max(0, p.variance[i]))), variance: p.variance, sample: () => [] };
    },
  };
}

/** Index of the largest finite value. */
function argMax(v: ArrayLike<number>): number {
  let b = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[b] || !Number.isFinite(v[b])) b = i;
  return b;
}

/**
 * The surrogate whose posterior-mean maximiser a model recommends: one GP, or for
 * "average-trend" the equal-weight average of the posterior means of the constant-mean GP
 * and the linear-trend GP (variance of the mixture).
 */
async function fittedModel(m: ModelName, noise: number, data: { X: number[][]; y: number[] }, seed: number): Promise<Surrogate> {
  const gp = new GpSurrogate(modelOptions(m, noise));
  await gp.fit(data, new Rng(seed));
  if (m === "lcb1") return lowerBound(gp, 1);
  if (m === "lcb-half") return lowerBound(gp, 0.5);
  if (m !== "average-trend") return gp;
  const trend = new GpSurrogate({ mean: "linear" });
  await trend.fit(data, new Rng(seed));
  return {
    name: "average of the constant-mean and the linear-trend GP",
    fit: () => Promise.reject(new Error("fitted once")),
    posterior(X) {
      const a = gp.posterior(X);
      const b = trend.posterior(X);
      const mean = a.mean.map((v, i) => (v + b.mean[i]) / 2);
      const variance = a.variance.map((v, i) => (v + b.variance[i]) / 2 + ((a.mean[i] - b.mean[i]) / 2) ** 2);
      return { mean, variance, sample: () => [] };
    },
  };
}

if (quick) dirs.push(quickBenchSweep("bo-recommendation-replay", strategyName));
if (dirs.length === 0) {
  console.error("bo-recommendation-replay: give the output folders of `sdfl bench` sweeps (each with a runs.jsonl)");
  process.exit(2);
}

const rows: Record<string, unknown>[] = [];
for (const dir of dirs) {
  const { oracle, settings, runs } = readRecordedRuns(dir, strategyName, seedLo, seedHi, "bo-recommendation-replay");
  if (runs.length === 0) continue;
  const problem = await problemOfOracle(oracle);
  const space = problem.space;
  const max = (await describeOracle(oracle, { quick })).max;
  const perSeed: Record<string, number | boolean>[] = [];
  for (const e of runs) {
    const t0 = performance.now();
    const { told, lab } = await replayRun(oracle, settings, problem, e);
    const truth = lab.evaluateTrue(told.map((o) => o.condition));
    const sampled = problem.objective.goal === "minimize" ? Math.min(...truth) : Math.max(...truth);
    const Z = told.map((o) => toUnit(space, o.condition));
    const y = told.map((o) => o.objective);
    const row: Record<string, number | boolean> = {
      seed: e.seed,
      recorded: e.run.recommendedTrue.at(-1)! / max,
      sampled: sampled / max,
      replayMatches: Math.abs(sampled - e.run.sampledBestTrue.at(-1)!) <= 1e-12 * Math.max(1, Math.abs(sampled)),
    };
    for (const m of models) {
      const model = await fittedModel(m, settings.noise, { X: Z, y }, deriveSeed(e.seed, "replay-fit"));
      // "observed": the observed point of highest posterior mean (no search between them).
      const x =
        m === "observed" ? Z[argMax(model.posterior(Z).mean)] : maximizePosteriorMean(model, feasibleSetOf(space), deriveSeed(e.seed, "replay-max"), Z).x;
      row[m] = lab.evaluateTrue([toCondition(space, x)])[0] / max;
    }
    await lab.close();
    perSeed.push(row);
    process.stderr.write(`replay ${dir} seed ${e.seed}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const col = (m: string) => perSeed.map((r) => r[m] as number);
  const summary = (m: string) => ({ median: quantile(col(m), 0.5), worst: Math.min(...col(m)) });
  const vsPlain = (m: string) =>
    models.includes("plain")
      ? {
          wins: perSeed.filter((r) => (r[m] as number) > (r.plain as number) + 1e-12).length,
          losses: perSeed.filter((r) => (r[m] as number) < (r.plain as number) - 1e-12).length,
        }
      : {};
  rows.push({
    source: dir,
    oracle,
    scenario: `${settings.init.kind}:${settings.init.count} + ${settings.budget}`,
    strategy: strategyName,
    n: perSeed.length,
    allReplaysMatch: perSeed.every((r) => r.replayMatches),
    recorded: summary("recorded"),
    sampled: summary("sampled"),
    models: Object.fromEntries(models.map((m) => [m, { ...summary(m), ...vsPlain(m) }])),
    perSeed,
  });
}
const pct = (v: number) => (100 * v).toFixed(1);
console.error(`| source | n | recorded | best sampled | ${models.join(" | ")} |`);
console.error(`|---|---|---|---|${models.map(() => "---|").join("")}`);
for (const r of rows) {
  const ms = r.models as Record<string, { median: number; worst: number; wins?: number; losses?: number }>;
  const cell = (s: { median: number; worst: number; wins?: number; losses?: number }) =>
    `${pct(s.median)} / ${pct(s.worst)}${s.wins !== undefined ? ` (${s.wins}:${s.losses})` : ""}`;
  console.error(
    `| ${String(r.source).replace(/^.*\//, "")} | ${r.n} | ${cell(r.recorded as { median: number; worst: number })} | ${cell(r.sampled as { median: number; worst: number })} | ${models.map((m) => cell(ms[m])).join(" | ")} |`,
  );
}
writeResult(
  { ...resultHead("bo-recommendation-replay", quick, load0), strategy: strategyName, models, rows },
  flags.get("out") ?? (quick ? "bo-recommendation-replay.quick.json" : "bo-recommendation-replay.json"),
);
