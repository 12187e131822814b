/**
 * Time of one optimization iteration (issue 12): surrogate refit + acquisition
 * optimisation (one `ask`) + the recommendation (`recommend`, the posterior-mean
 * maximiser), after 60 and after 76 measured points, on the noisy published Chem1 twin
 * (4 % noise). Run after `npx tsc -p .`:
 *
 *   node dist/benchmarks/bo-iteration.js [--quick] [--strategy LIST] [--oracle NAME] [--repeats N]
 *
 * For each strategy (default: the default strategy) and each repeat (seed): 60 LHS points
 * are measured and told, then the strategy iterates as a campaign does: recommendation
 * (refits the surrogate on all points so far), proposal (acquisition optimisation on that
 * fit), measurement, tell. The iterations with 60 and with 76 points are timed, wall
 * clock and process CPU time; the fit at 60 is from scratch, the one at 76 warm-started.
 * Goal: < 2 s wall time per iteration on 2 cores. --quick: 60 and 62 points, one repeat.
 * Prints a table and writes benchmarks/results/bo-iteration[.quick].json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { Rng } from "../src/core/rng.js";
import { initialDesign } from "../src/bo/design/initialDesign.js";
import type { Observation } from "../src/bo/strategy.js";
import { buildBenchmarkLab, parseOracle, problemOfOracle } from "../src/cli/labs.js";
import { createStrategy } from "../src/cli/strategyResolver.js";
import { DEFAULT_STRATEGY } from "../src/cli/builtinStrategies.js";
import { quantile } from "../src/bo/bench/summary.js";
import { utilityOf } from "../src/bo/problem/problem.js";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes("--quick");
const strategies = (flag("strategy") ?? DEFAULT_STRATEGY).split(",");
const oracleArg = flag("oracle") ?? "chem1";
const repeats = Number(flag("repeats") ?? (quick ? 1 : 3));
const extra = quick ? 2 : 16;
const GOAL_SECONDS = 2;
if (!Number.isInteger(repeats) || repeats < 1) {
  console.error(`bo-iteration: --repeats must be a positive integer, got "${flag("repeats")}"`);
  process.exit(2);
}

interface Timed {
  wall: number;
  cpu: number;
}

/** Wall and process-CPU seconds of an async call. */
async function timed<T>(f: () => Promise<T>): Promise<[T, Timed]> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const v = await f();
  const c = process.cpuUsage(c0);
  return [v, { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 }];
}

const oracle = parseOracle(oracleArg);
const problem = await problemOfOracle(oracle);
const rows: Record<string, unknown>[] = [];
console.log(
  `bo-iteration${quick ? " (quick)" : ""}: ${strategies.join(", ")} on ${oracleArg}, 60 LHS + ${extra} points, ${repeats} repeat(s), ${cpus().length} cores, load average ${loadavg()
    .map((v) => v.toFixed(1))
    .join(" ")}`,
);
for (const name of strategies) {
  const at: Record<"first" | "last", { ask: Timed[]; recommend: Timed[]; points: number }> = {
    first: { ask: [], recommend: [], points: 60 },
    last: { ask: [], recommend: [], points: 60 + extra },
  };
  for (let seed = 1; seed <= repeats; seed++) {
    const lab = await buildBenchmarkLab(oracle, { noise: 0.04, seed });
    const strategy = await createStrategy({ name }, { space: problem.space, seed });
    const design = initialDesign({ kind: "lhs", count: 60 }, problem.space, new Rng(seed));
    const toObservation = (m: Awaited<ReturnType<typeof lab.run>>): Observation => ({
      condition: m.condition,
      objective: utilityOf(problem, m.objective),
      outcomes: m.outcomes,
    });
    const initial: Observation[] = [];
    for (const c of design) initial.push(toObservation(await lab.run(c)));
    await strategy.tell(initial);
    // As a campaign iterates after each measurement: the recommendation (refits, the new
    // point having arrived), then the next proposal (acquisition on that fit).
    for (let k = 0; k <= extra; k++) {
      const timedNow = k === 0 || k === extra;
      const [, rec] = timedNow ? await timed(async () => strategy.recommend?.()) : [undefined, undefined];
      const [proposals, ask] = await timed(() => strategy.ask(1));
      if (timedNow) {
        const b = k === 0 ? at.first : at.last;
        b.recommend.push(rec!);
        b.ask.push(ask);
      }
      if (k < extra) await strategy.tell([toObservation(await lab.run(proposals[0].condition))]);
    }
    strategy.dispose?.();
    await lab.close();
  }
  for (const key of ["first", "last"] as const) {
    const b = at[key];
    const med = (xs: Timed[], f: (t: Timed) => number) => quantile(xs.map(f), 0.5);
    const iteration = b.ask.map((a, i) => ({ wall: a.wall + b.recommend[i].wall, cpu: a.cpu + b.recommend[i].cpu }));
    const row = {
      strategy: name,
      points: b.points,
      askWallSeconds: med(b.ask, (t) => t.wall),
      askCpuSeconds: med(b.ask, (t) => t.cpu),
      recommendWallSeconds: med(b.recommend, (t) => t.wall),
      recommendCpuSeconds: med(b.recommend, (t) => t.cpu),
      iterationWallSeconds: med(iteration, (t) => t.wall),
      iterationCpuSeconds: med(iteration, (t) => t.cpu),
      iterationWallMaxSeconds: Math.max(...iteration.map((t) => t.wall)),
      repeats: b.ask.length,
    };
    rows.push(row);
    console.log(
      `${name.padEnd(12)} ${String(row.points).padStart(3)} points: refit + recommendation ${row.recommendWallSeconds.toFixed(2)} s + acquisition ${row.askWallSeconds.toFixed(2)} s = ${row.iterationWallSeconds.toFixed(2)} s wall (CPU ${row.iterationCpuSeconds.toFixed(2)} s; worst ${row.iterationWallMaxSeconds.toFixed(2)} s) - goal < ${GOAL_SECONDS} s: ${row.iterationWallMaxSeconds < GOAL_SECONDS ? "met" : "NOT met"}`,
    );
  }
}
mkdirSync("benchmarks/results", { recursive: true });
const file = resolve("benchmarks/results", quick ? "bo-iteration.quick.json" : "bo-iteration.json");
const meetsGoal = rows.every((r) => (r.iterationWallMaxSeconds as number) < GOAL_SECONDS);
writeFileSync(
  file,
  JSON.stringify(
    { quick, oracle: oracleArg, noise: 0.04, repeats, cores: cpus().length, loadAverage: loadavg(), goalSeconds: GOAL_SECONDS, meetsGoal, rows },
    null,
    1,
  ) + "\n",
);
console.log(`wrote ${file}`);
