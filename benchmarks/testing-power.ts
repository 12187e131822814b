/**
 * How often the beats-random property of sdfl/testing passes, per strategy: its false-pass
 * rate for random search itself (should be at most alpha = 5 %) and for two broken samplers,
 * and its pass rate (power) for correct GP strategies.
 *   node dist/benchmarks/testing-power.js [--quick] [--verdicts N] [--budget B] [--only NAME,...]
 * Each verdict is one fast-check run of beats-random (10 objectives, 5 + 10 experiments,
 * median of 15 random-search campaigns, one-sided Wilcoxon signed-rank at 5 %) with its own seed.
 * Prints one JSON object and writes benchmarks/results/testing-power.json (.quick.json with --quick).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { Rng } from "../src/core/rng.js";
import { feasibleSetOf, isFeasible } from "../src/bo/optimize/feasibleSet.js";
import { strategyFactory } from "../src/bo/strategies/index.js";
import type { StrategyFactory } from "../src/bo/strategy.js";
import { strategyProperties } from "../src/bo/testing/index.js";
import { denormalize, fromArray } from "../src/bo/problem/space.js";

const quick = process.argv.includes("--quick");
const arg = process.argv.indexOf("--verdicts");
const verdicts = arg > 0 ? Number(process.argv[arg + 1]) : quick ? 2 : 20;
const budgetArg = process.argv.indexOf("--budget");
const budget = budgetArg > 0 ? Number(process.argv[budgetArg + 1]) : 10;
const onlyArg = process.argv.indexOf("--only");
const only = onlyArg > 0 ? process.argv[onlyArg + 1].split(",") : null;

/** Random search drawing each unit coordinate with `draw` (for the broken samplers). */
function sampler(draw: (rng: Rng, i: number) => number): StrategyFactory {
  return (ctx) => {
    const set = feasibleSetOf(ctx.space);
    const rng = new Rng(ctx.seed);
    return {
      name: "sampler",
      async ask(n) {
        const out = [];
        while (out.length < n) {
          const z = ctx.space.inputs.map((_, i) => draw(rng, i));
          if (isFeasible(set, z)) out.push({ condition: fromArray(ctx.space, denormalize(ctx.space, z)) });
        }
        return out;
      },
      async tell() {},
    };
  };
}

const fast = { optimizer: { rawSamples: 256, restarts: 2, maxIterations: 40, thompsonCandidates: 256 } };
const gp = (name: string) => ({ name: `${name} (fast optimiser)`, factory: strategyFactory(name, fast), expected: "pass rate ~ 1 (power)", verdicts });
const subjects: { name: string; factory: StrategyFactory; expected: string; verdicts: number }[] = [
  { name: "random", factory: strategyFactory("random"), expected: "pass rate <= 0.05 (false pass)", verdicts: verdicts * 2 },
  { name: "random inside [0.3, 0.7]", factory: sampler((rng) => 0.3 + 0.4 * rng.uniform()), expected: "pass rate ~ 0", verdicts },
  { name: "random, x1 fixed at mid-range", factory: sampler((rng, i) => (i === 0 ? 0.5 : rng.uniform())), expected: "pass rate ~ 0", verdicts },
  ...["gp-ei", "gp-logei", "gp-pi", "gp-ucb", "gp-mean", "gp-ts"].map(gp),
].filter((s) => !only || only.some((o) => s.name.startsWith(o)));

const rows = [];
for (const s of subjects) {
  const [property] = strategyProperties(s.factory, {
    skip: ["in-bounds-and-constraints", "caller-data-untouched", "time-budget", "deterministic", "no-repeats", "incumbent-never-worse"],
  });
  let passed = 0;
  const t0 = performance.now();
  for (let v = 0; v < s.verdicts; v++) {
    process.stderr.write(`\r${s.name}: verdict ${v + 1}/${s.verdicts}   `);
    try {
      await property.check();
      passed++;
    } catch {
      // A failed verdict is what we count.
    }
  }
  process.stderr.write("\n");
  rows.push({
    strategy: s.name,
    verdicts: s.verdicts,
    passed,
    passRate: +(passed / s.verdicts).toFixed(3),
    expected: s.expected,
    secondsPerVerdict: +((performance.now() - t0) / 1000 / s.verdicts).toFixed(2),
  });
}

const result = {
  benchmark: "testing-power",
  quick,
  property: `beats-random (10 objectives, 5 initial + ${budget} experiments, 15 random-search campaigns per objective, Wilcoxon alpha 0.05)`,
  budget,
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    loadavg1: loadavg()[0],
    node: process.version,
    note: "2 cores shared with other engineers while measured",
  },
  rows,
};
const dir = join(process.cwd(), "benchmarks", "results");
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, quick ? "testing-power.quick.json" : `testing-power${budget === 10 ? "" : `-budget${budget}`}.json`),
  JSON.stringify(result, null, 2) + "\n",
);
console.log(JSON.stringify(result, null, 2));
