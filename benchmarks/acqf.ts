/**
 * Acquisition-optimiser benchmark: on the same posterior, the original SDFL setting
 * (500,000 raw samples + 100 restarts) against sdfl's default (1,024 scrambled Sobol raw
 * samples + 8 projected-gradient restarts). Reports the log-EI value reached and seconds.
 *
 *   node dist/benchmarks/acqf.js [--quick] [--seeds N] [--no-enn]
 *
 * Posteriors: (1) a GP fitted to the Chem3 LHS data (analytic gradients); (2) the published
 * Chem1 twin as an ensemble posterior (finite-difference gradients), skipped in --quick.
 * Writes benchmarks/results/acqf.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { Rng } from "../src/core/rng.js";
import { acquisitionObjective, logEiAcquisition } from "../src/bo/acquisition/index.js";
import { GpSurrogate } from "../src/bo/gp/gpSurrogate.js";
import { optimizeAcqf, unitCube } from "../src/bo/optimize/index.js";
import { DEFAULT_ACQF_SETTINGS } from "../src/bo/strategies/index.js";
import type { Surrogate } from "../src/bo/surrogate.js";
import { loadTwin } from "../src/twin/loadTwin.js";
import { resolveTwinPath } from "../src/twin/dataPaths.js";
import { lhsObservations } from "./acqfPosterior.js";
import { twinAsSurrogate } from "./twinPosterior.js";

interface Setting {
  name: string;
  rawSamples: number;
  restarts: number;
}

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const seedsArg = args.indexOf("--seeds");
const seeds = seedsArg >= 0 ? Number(args[seedsArg + 1]) : quick ? 2 : 3;
if (!Number.isInteger(seeds) || seeds < 1) {
  console.error(`acqf: --seeds must be a positive integer, got "${args[seedsArg + 1]}"`);
  process.exit(2);
}
const withEnn = !quick && !args.includes("--no-enn");

const ORIGINAL: Setting = { name: "original (500000 raw + 100 restarts)", rawSamples: 500_000, restarts: 100 };
const SDFL: Setting = {
  name: `sdfl (${DEFAULT_ACQF_SETTINGS.rawSamples} raw + ${DEFAULT_ACQF_SETTINGS.restarts} restarts)`,
  rawSamples: DEFAULT_ACQF_SETTINGS.rawSamples,
  restarts: DEFAULT_ACQF_SETTINGS.restarts,
};

function run(surrogate: Surrogate, best: number, setting: Setting, seed: number) {
  const r = optimizeAcqf({
    objective: acquisitionObjective(surrogate, logEiAcquisition(best)),
    feasible: unitCube(5),
    rawSamples: setting.rawSamples,
    restarts: setting.restarts,
    maxIterations: DEFAULT_ACQF_SETTINGS.maxIterations,
    seed,
  });
  return { seed, logEi: r.value, rawBestLogEi: r.rawBestValue, seconds: r.seconds, evaluations: r.evaluations, x: r.x };
}

async function compare(label: string, surrogate: Surrogate, best: number, originalSeeds: number) {
  console.log(`\n${label} (incumbent ${best.toFixed(4)})`);
  const out: Record<string, unknown> = { posterior: label, incumbent: best };
  for (const [key, setting, n] of [
    ["original", ORIGINAL, originalSeeds],
    ["sdfl", SDFL, seeds],
  ] as const) {
    const runs = [];
    for (let s = 1; s <= n; s++) {
      const r = run(surrogate, best, setting, s);
      runs.push(r);
      console.log(
        `  ${setting.name.padEnd(40)} seed ${s}: log-EI ${r.logEi.toFixed(6)} (raw best ${r.rawBestLogEi.toFixed(6)}), ${r.seconds.toFixed(2)} s, ${r.evaluations} evaluations`,
      );
    }
    out[key] = { ...setting, runs };
  }
  const o = (out.original as { runs: { logEi: number; seconds: number }[] }).runs;
  const m = (out.sdfl as { runs: { logEi: number; seconds: number }[] }).runs;
  const bestOriginal = Math.max(...o.map((r) => r.logEi));
  const worstSdfl = Math.min(...m.map((r) => r.logEi));
  const med = (a: number[]) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const summary = {
    bestOriginalLogEi: bestOriginal,
    worstSdflLogEi: worstSdfl,
    sdflReachesOriginal: worstSdfl >= bestOriginal - 1e-6 * Math.abs(bestOriginal),
    medianSecondsOriginal: med(o.map((r) => r.seconds)),
    medianSecondsSdfl: med(m.map((r) => r.seconds)),
    speedup: med(o.map((r) => r.seconds)) / med(m.map((r) => r.seconds)),
  };
  console.log(
    `  -> worst sdfl ${worstSdfl.toFixed(6)} vs best original ${bestOriginal.toFixed(6)}: ${summary.sdflReachesOriginal ? "reached" : "NOT reached"}; ${summary.speedup.toFixed(0)}x faster`,
  );
  return { ...out, summary };
}

const results: unknown[] = [];
const chem3 = lhsObservations("chem3");
const gp = new GpSurrogate();
const fit = await gp.fit(chem3, new Rng(1));
console.log(`GP on Chem3 LHS: ${chem3.y.length} points, fitted in ${fit.seconds.toFixed(2)} s`);
results.push(await compare("GP (Matern 5/2 ARD) fitted to Chem3 LHS, log-EI", gp, Math.max(...chem3.y), seeds));
// A harder, more multimodal acquisition surface: the GP on 15 of the 60 points.
const subset = new Rng(7).shuffle(chem3.y.map((_, i) => i)).slice(0, 15);
const small = { X: subset.map((i) => chem3.X[i]), y: subset.map((i) => chem3.y[i]) };
const gpSmall = new GpSurrogate();
await gpSmall.fit(small, new Rng(1));
results.push(await compare("GP fitted to 15 random Chem3 LHS points, log-EI", gpSmall, Math.max(...small.y), seeds));

if (withEnn) {
  const twin = await loadTwin(resolveTwinPath("chem1"));
  const chem1 = lhsObservations("chem1");
  // The original setting takes minutes on the pure-JS ensemble: one seed of it.
  results.push(await compare("published Chem1 twin (20-member ENN ensemble), log-EI", twinAsSurrogate(twin), Math.max(...chem1.y), 1));
  twin.dispose();
}

mkdirSync("benchmarks/results", { recursive: true });
const report = {
  benchmark: "acqf",
  date: new Date().toISOString(),
  mode: quick ? "quick" : "full",
  gpFit: { points: chem3.y.length, seconds: fit.seconds, meta: fit.meta },
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, note: "2 cores shared with other work; timings measured under contention" },
  results,
};
writeFileSync(quick ? "benchmarks/results/acqf-quick.json" : "benchmarks/results/acqf.json", JSON.stringify(report, null, 2));
console.log(`\nwrote benchmarks/results/${quick ? "acqf-quick" : "acqf"}.json`);
