/**
 * The issue-12 goal table from `sdfl bench` sweeps (run after `npx tsc -p .`):
 *
 *   node dist/benchmarks/bo-goals.js [--quick] [--default NAME] [--default-from LIST] [--corner LIST] [--out FILE] DIR...
 *
 * Reads every DIR's runs.jsonl (a finished, interrupted or sharded sweep: `sdfl bench
 * --shard i/N` shares of one sweep simply add their seeds), groups the runs by oracle,
 * scenario (initial design + budget) and strategy, and scores the TRUE value of the final
 * recommendation as a fraction of the oracle's optimum (value / max for a maximised
 * oracle with max > 0; value / min for a minimised one with min < 0, e.g. hartmann6),
 * median and worst seed over the seeds found, saying how many. Goals (issue 12): on the
 * corner-optimum oracles (--corner NAMES, default every twin unfolded: the published chem1
 * and project twins, labelled project:NAME), median
 * >= 0.99 and worst >= 0.97; on every other (interior-optimum) oracle the default
 * strategy's median >= 0.95, worst >= 0.90 and a higher median than every other strategy
 * in the table. The oracle optimum is searched as `sdfl bench` does (seeded, the same
 * value). Prints a Markdown table and writes benchmarks/results/bo-goals.json (--out).
 * --default-from DIR,DIR: take the default strategy's runs only from these folders (given
 * among DIR... too), e.g. when older folders hold runs of an earlier version of the same name.
 * --quick (CI): runs a 2-seed `sdfl bench --quick` sweep of the default strategy and random
 * on branin-reactor5d into a temporary folder first and summarises that.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { quantile } from "../src/bo/bench/summary.js";
import { describeOracle, type OracleSpec } from "../src/cli/labs.js";
import { DEFAULT_STRATEGY } from "../src/cli/builtinStrategies.js";
import { quickBenchSweep } from "./quickBenchSweep.js";
import { folderArgs } from "./folderArgs.js";
import { oracleLabel, oracleReadable, readableOracle } from "./runLogOracle.js";

const { quick, flags, dirs } = folderArgs(process.argv.slice(2));
const defaultStrategy = flags.get("default") ?? DEFAULT_STRATEGY;
const cornerNames = flags.get("corner")?.split(",");
const defaultFrom = flags
  .get("default-from")
  ?.split(",")
  .map((d) => resolve(d));
const outFile = resolve(flags.get("out") ?? join("benchmarks", "results", quick ? "bo-goals.quick.json" : "bo-goals.json"));
const GOALS = { corner: { median: 0.99, worst: 0.97 }, interior: { median: 0.95, worst: 0.9 } };

if (quick) dirs.push(quickBenchSweep("bo-goals", `${defaultStrategy},random`));
if (dirs.length === 0) {
  console.error("bo-goals: give the output folders of `sdfl bench` sweeps (each with a runs.jsonl)");
  process.exit(2);
}

interface Group {
  oracle: OracleSpec;
  scenario: string;
  strategy: string;
  finals: Map<number, number>;
}

const groups = new Map<string, Group>();
for (const dir of dirs) {
  const file = join(dir, "runs.jsonl");
  if (!existsSync(file)) {
    console.error(`bo-goals: ${file} not found (not a bench output folder)`);
    process.exit(2);
  }
  const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
  const head = JSON.parse(lines[0]) as { sweep: { oracle: OracleSpec; settings: { init: { kind: string; count: number }; budget: number } } };
  const { oracle, settings } = head.sweep;
  const scenario = `${settings.init.kind}:${settings.init.count} + ${settings.budget}`;
  for (const line of lines.slice(1)) {
    let entry: { strategy: string; seed: number; run?: { recommendedTrue?: number[] } };
    try {
      entry = JSON.parse(line);
    } catch {
      continue; // a line cut by a killed run
    }
    const rec = entry.run?.recommendedTrue;
    if (!rec || rec.length === 0) continue;
    if (defaultFrom && entry.strategy === defaultStrategy && !defaultFrom.includes(resolve(dir))) continue;
    // Grouped by the oracle's label: one published twin read from different data folders is one oracle.
    const key = JSON.stringify([oracleLabel(oracle), scenario, entry.strategy]);
    const g = groups.get(key) ?? { oracle, scenario, strategy: entry.strategy, finals: new Map() };
    if (!oracleReadable(g.oracle) && oracleReadable(oracle)) g.oracle = oracle;
    g.finals.set(entry.seed, rec[rec.length - 1]);
    groups.set(key, g);
  }
}

const optimum = new Map<string, number>();
const rows: Record<string, unknown>[] = [];
for (const g of [...groups.values()].sort(
  (a, b) => oracleLabel(a.oracle).localeCompare(oracleLabel(b.oracle)) || a.scenario.localeCompare(b.scenario) || a.strategy.localeCompare(b.strategy),
)) {
  const label = oracleLabel(g.oracle);
  const okey = label;
  // Any group of this label whose twin file still exists can give the optimum.
  const readable = [...groups.values()].find((h) => oracleLabel(h.oracle) === label && oracleReadable(h.oracle))?.oracle ?? readableOracle(g.oracle);
  if (!optimum.has(okey)) optimum.set(okey, (await describeOracle(readable, { quick })).max);
  const max = optimum.get(okey)!;
  const fractions = [...g.finals.values()].map((v) => (max !== 0 ? v / max : NaN));
  const kind = (cornerNames ? cornerNames.includes(label) : g.oracle.kind === "twin") ? "corner" : "interior";
  rows.push({
    oracle: label,
    optimum: kind,
    scenario: g.scenario,
    strategy: g.strategy,
    seeds: [...g.finals.keys()].sort((a, b) => a - b),
    n: fractions.length,
    oracleOptimum: max,
    median: quantile(fractions, 0.5),
    worst: Math.min(...fractions),
  });
}
// Goals: corner oracles for the default (median, worst); interior also "ahead of every other".
for (const r of rows) {
  if (r.strategy !== defaultStrategy) continue;
  const goal = GOALS[r.optimum as "corner" | "interior"];
  const others = rows.filter((o) => o.oracle === r.oracle && o.scenario === r.scenario && o.strategy !== r.strategy);
  const ahead = r.optimum === "corner" || others.every((o) => (o.median as number) < (r.median as number));
  r.goal = { ...goal, aheadOfOthers: r.optimum === "interior" };
  r.meetsGoal = (r.median as number) >= goal.median && (r.worst as number) >= goal.worst && ahead;
}
const pct = (v: unknown) => `${(100 * (v as number)).toFixed(1)}`;
console.log("| oracle | optimum | scenario | strategy | seeds | recommendation median % | worst % | goal |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of rows)
  console.log(
    `| ${r.oracle} | ${r.optimum} | ${r.scenario} | ${r.strategy} | ${r.n} | ${pct(r.median)} | ${pct(r.worst)} | ${r.meetsGoal === undefined ? "" : r.meetsGoal ? "met" : "NOT met"} |`,
  );
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(
  outFile,
  JSON.stringify({ quick, defaultStrategy, defaultFrom, goals: GOALS, corner: cornerNames, sources: dirs.map((d) => resolve(d)), rows }, null, 1) + "\n",
);
console.log(`wrote ${outFile}`);
