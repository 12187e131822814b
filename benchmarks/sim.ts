/**
 * Simulator throughput.
 *   node dist/benchmarks/sim.js [--quick] [--twin chem1|FILE]
 * Measures: steady-state experiments per second batched through the twin (evaluateTrue
 * and noisy measureBatch), the twin's share of that time, sequential steady-state runs,
 * raw-spectra generation + original pipeline per second, and full physics-mode
 * experiments (virtual devices on a virtual clock) per second.
 * Prints one JSON object and writes benchmarks/results/sim.json (sim.quick.json with --quick).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { Rng } from "../src/core/rng.js";
import { SimulatedLab } from "../src/sim/simulatedLab.js";
import { SpectraSynthesizer } from "../src/sim/spectra/synth.js";
import { DEFAULT_SPECTRA_PARAMS } from "../src/sim/spectra/instrument.js";
import { processAbsorbance, processPhotoluminescence } from "../src/hil/spectra/pipeline.js";
import { DEFAULT_SPACE, type Condition } from "../src/twin/space.js";
import { summarizeMembers } from "../src/twin/posterior.js";
import type { Twin } from "../src/twin/twin.js";

/** A twin that costs (almost) nothing: isolates the simulator's own cost from the twin's. */
function freeTwin(like: Twin): Twin {
  return {
    inputs: like.inputs,
    inputBounds: like.inputBounds,
    memberCount: 1,
    plqyReference: like.plqyReference,
    source: "constant (overhead measurement)",
    predict: (pts) => summarizeMembers(new Float64Array(pts.length).fill(0.6), new Float64Array(pts.length).fill(1.5e5), pts.length, 1, like.plqyReference),
    dispose() {},
  };
}

const quick = process.argv.includes("--quick");
const twinArg =
  process.argv[process.argv.indexOf("--twin") + 1] && process.argv.includes("--twin") ? process.argv[process.argv.indexOf("--twin") + 1] : "chem1";

function randomConditions(n: number, rng: Rng): Condition[] {
  return Array.from({ length: n }, () => Object.fromEntries(DEFAULT_SPACE.inputs.map((s) => [s.name, rng.range(s.bounds[0], s.bounds[1])])) as Condition);
}

/** Best of `reps` timings of fn, seconds. */
function time(fn: () => void, reps: number): number {
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

const rng = new Rng(1);
const lab = await SimulatedLab.fromTwin(twinArg, { mode: "steady", noise: "measured", seed: 1 });
const batch = quick ? 2000 : 20000;
const conds = randomConditions(batch, rng);
const points = conds.map((c) => [c.T, c.CuI, c.ZnI2, c.CsOA, c.ODE]);
const reps = quick ? 2 : 3;
lab.evaluateTrue(conds.slice(0, 200)); // warm-up (JIT)

const tTrue = time(() => lab.evaluateTrue(conds), reps);
const tBatch = time(() => lab.measureBatch(conds), reps);
const tTwin = time(() => lab.twin.predict(points), reps);
const free = new SimulatedLab(freeTwin(lab.twin), { mode: "steady", noise: "measured", seed: 1 });
free.measureBatch(conds.slice(0, 200));
const tFreeBatch = time(() => free.measureBatch(conds), reps);
const sequential = quick ? 200 : 1000;
const t0 = performance.now();
for (let i = 0; i < sequential; i++) await lab.run(conds[i]);
const tSeq = (performance.now() - t0) / 1000;

// Raw spectra: synthesis (with read noise) and the original pipeline.
const synth = new SpectraSynthesizer(DEFAULT_SPECTRA_PARAMS);
const refs = synth.references();
const nSpectra = quick ? 40 : 200;
const cell = { totalFlow_uL_min: 720, dropletFraction: 2 / 3, readNoise_counts: 3, rng };
const acqs: ReturnType<SpectraSynthesizer["absorbance"]>[] = [];
const tSynth = time(() => {
  acqs.length = 0;
  for (let i = 0; i < nSpectra; i++) {
    acqs.push(synth.absorbance({ abs300: 0.6, pla: 1.5e5 }, cell));
    acqs.push(synth.photoluminescence({ abs300: 0.6, pla: 1.5e5 }, cell));
  }
}, 1);
const tProcess = time(() => {
  for (let i = 0; i < acqs.length; i += 2) {
    processAbsorbance(acqs[i], refs.abs);
    processPhotoluminescence(acqs[i + 1], refs.pl);
  }
}, 1);

// Physics mode: whole experiments through virtual devices.
const phys = await SimulatedLab.fromTwin(twinArg, { mode: "physics", noise: "measured", seed: 2 });
const nPhys = quick ? 5 : 20;
const tp0 = performance.now();
for (let i = 0; i < nPhys; i++) await phys.run(conds[i]);
const tPhys = (performance.now() - tp0) / 1000;
const labTime = phys.clock.now();

const result = {
  benchmark: "sim",
  quick,
  twin: lab.twin.source,
  members: lab.twin.memberCount,
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    loadavg1: loadavg()[0],
    node: process.version,
    note: "2 cores shared with other engineers while measured",
  },
  steadyState: {
    batch,
    evaluateTruePerSecond: Math.round(batch / tTrue),
    measureBatchPerSecond: Math.round(batch / tBatch),
    twinPredictPointsPerSecond: Math.round(batch / tTwin),
    twinShareOfEvaluateTrue: +(tTwin / tTrue).toFixed(3),
    sequentialRunsPerSecond: Math.round(sequential / tSeq),
    measureBatchWithFreeTwinPerSecond: Math.round(batch / tFreeBatch),
    goalPerSecond: 10000,
  },
  spectra: {
    acquisitionPairs: nSpectra,
    pixels: DEFAULT_SPECTRA_PARAMS.pixels,
    frames: DEFAULT_SPECTRA_PARAMS.frames,
    synthesisPairsPerSecond: Math.round(nSpectra / tSynth),
    processingPairsPerSecond: Math.round(nSpectra / tProcess),
    synthesisPlusProcessingPairsPerSecond: Math.round(nSpectra / (tSynth + tProcess)),
  },
  physics: {
    experiments: nPhys,
    experimentsPerSecond: +(nPhys / tPhys).toFixed(2),
    labSecondsSimulated: Math.round(labTime),
    labTimeSpeedup: Math.round(labTime / tPhys),
    twinEvaluationsPerExperiment: +(phys.reactor!.segmentEvaluations / nPhys).toFixed(1),
  },
};
const dir = join(process.cwd(), "benchmarks", "results");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, quick ? "sim.quick.json" : "sim.json"), JSON.stringify(result, null, 2) + "\n");
console.log(JSON.stringify(result, null, 2));
