/**
 * The paper's reactor characterization, reproduced on the simulator:
 * flow sweep (Fig. 4A-B), reaction-time sweep (Fig. 4C-D), 30 min stability (Fig. 3A)
 * and cross-contamination (Fig. 3B). Each returns plain data for JSON and plotting.
 */
import { Rng } from "../core/rng.js";
import type { Measurement } from "../bo/lab.js";
import { DEFAULT_SPACE, type Condition } from "../twin/space.js";
import { reactorFlow, tau_s } from "./flow.js";
import { FeatureNoise } from "./noise.js";
import { processAbsorbance, processPhotoluminescence } from "../hil/spectra/pipeline.js";
import { waitForTemperature } from "../hil/orchestration.js";
import type { SimulatedLab } from "./simulatedLab.js";
import { mean, rsd, std } from "./stats.js";

/** Measured RSDs reported by the paper, for comparison. */
const PAPER_RSD = {
  stability: { abs300: 0.031, peak446: 0.052, pla: 0.042 },
  crossContamination: { abs300: 0.037, peak446: 0.042, pla: 0.034 },
};

/** One point of a sweep: mean and std over replicates. */
export interface SweepPoint {
  x: number;
  abs300: number;
  abs300Std: number;
  pla: number;
  plaStd: number;
  /** PL area over Abs300, counts x nm. */
  plPerAbs: number;
  plPerAbsStd: number;
  /** Noise-free PL/Abs300 at this point. */
  plPerAbsTrue: number;
}

/** Result of a sweep. */
export interface SweepResult {
  kind: "flow-sweep" | "time-sweep";
  reference: Condition;
  /** What was held constant: reaction time (s) for a flow sweep, total flow (uL/min) for a time sweep. */
  held: { reactionTime_s?: number; totalFlow_uL_min?: number };
  replicates: number;
  points: SweepPoint[];
  /** Smallest x where the noise-free PL/Abs300 (flow) or PLA (time) reaches 99 % of its value at the largest x. */
  plateauStart: number;
}

/** Options of a sweep. */
export interface SweepOptions {
  /** Droplet chemistry the twin sees (default: the centre-ish condition T=160, CuI=100, ZnI2=100, CsOA=40, ODE=240). */
  reference?: Condition;
  /** Sweep values: total flows (uL/min) or reaction times (s). */
  values?: number[];
  replicates?: number;
  seed?: number;
}

const DEFAULT_REFERENCE: Condition = { T: 160, CuI: 100, ZnI2: 100, CsOA: 40, ODE: 240 };

function sweep(
  lab: SimulatedLab,
  kind: SweepResult["kind"],
  values: number[],
  regime: (x: number) => { q: number; t: number },
  o: SweepOptions,
  held: SweepResult["held"],
): SweepResult {
  const ref = o.reference ?? DEFAULT_REFERENCE;
  const reps = o.replicates ?? 5;
  const noise = new FeatureNoise(lab.noise, lab.params.noise, new Rng(o.seed ?? 0));
  const base = lab.model.nominalInput(ref);
  const truth = lab.model.evaluate(values.map((x) => ({ chemistry: base.chemistry, totalFlow_uL_min: regime(x).q, reactionTime_s: regime(x).t })));
  const points = values.map((x, i) => {
    const a: number[] = [];
    const p: number[] = [];
    const r: number[] = [];
    for (let k = 0; k < reps; k++) {
      const f = noise.features({ abs300: truth.abs300[i], pla: truth.pla[i], peak446: truth.peak446[i] });
      a.push(f.abs300);
      p.push(f.pla);
      r.push(f.pla / f.abs300);
    }
    return {
      x,
      abs300: mean(a),
      abs300Std: std(a),
      pla: mean(p),
      plaStd: std(p),
      plPerAbs: mean(r),
      plPerAbsStd: std(r),
      plPerAbsTrue: truth.pla[i] / truth.abs300[i],
    };
  });
  const curve = kind === "flow-sweep" ? points.map((q) => q.plPerAbsTrue) : Array.from(truth.pla);
  const last = curve[curve.length - 1];
  const idx = curve.findIndex((v) => v >= 0.99 * last);
  return { kind, reference: ref, held, replicates: reps, points, plateauStart: values[idx] };
}

/**
 * PL/Abs300 and features against total flow at constant reaction time (the heated
 * volume scales with the flow), Fig. 4A-B. Default flows 150 to 1200 uL/min, 50 s.
 */
export function flowSweep(lab: SimulatedLab, o: SweepOptions & { reactionTime_s?: number } = {}): SweepResult {
  const t = o.reactionTime_s ?? 50;
  const values = o.values ?? Array.from({ length: 43 }, (_, i) => 150 + 25 * i);
  return sweep(lab, "flow-sweep", values, (q) => ({ q, t }), o, { reactionTime_s: t });
}

/** Features against reaction time at constant total flow (default 720 uL/min, 5 to 60 s), Fig. 4C-D. */
export function timeSweep(lab: SimulatedLab, o: SweepOptions & { totalFlow_uL_min?: number } = {}): SweepResult {
  const q = o.totalFlow_uL_min ?? 720;
  const values = o.values ?? Array.from({ length: 12 }, (_, i) => 5 + 5 * i);
  return sweep(lab, "time-sweep", values, (t) => ({ q, t }), o, { totalFlow_uL_min: q });
}

/** A time series of processed features at one condition. */
export interface StabilityResult {
  condition: Condition;
  tau_s: number;
  /** Time flows started, s on the lab clock (plate already on temperature). */
  flowStart_s: number;
  samples: { t_s: number; abs300: number; pla: number; peak446: number }[];
  /** RSDs over the samples taken at least 2 tau after the flows started. */
  rsdAfter2Tau: { abs300: number; pla: number; peak446: number; samples: number };
  paper: typeof PAPER_RSD.stability;
}

/**
 * Stability (Fig. 3A): preheat the plate, start the flows, then acquire both spectra
 * every `interval_s` for `duration_s` of lab time. Needs a physics-mode lab.
 */
export async function stability(lab: SimulatedLab, condition: Condition, o: { duration_s?: number; interval_s?: number } = {}): Promise<StabilityResult> {
  const d = lab.devices;
  if (!d) throw new Error("stability needs a physics-mode SimulatedLab");
  const duration = o.duration_s ?? 1800;
  const interval = o.interval_s ?? 20;
  const clock = lab.clock;
  const h = lab.params.heater;
  const refs = { abs: await d.absSpectrometer.references(), pl: await d.plSpectrometer.references() };
  await d.heater.set(condition.T);
  await waitForTemperature(d.heater, clock, { tolerance_degC: h.settleTolerance_degC, hold_s: h.settleHold_s, poll_s: 2, timeout_s: 3600 });
  const g = lab.params.geometry;
  const flowStart = clock.now();
  for (const k of ["CuI", "ZnI2", "CsOA", "ODE"] as const) await d.pumps[k].set(condition[k]);
  await d.pumps.PFO.set(g.pfoRatio * (condition.CuI + condition.ZnI2 + condition.CsOA + condition.ODE));
  const samples: StabilityResult["samples"] = [];
  while (clock.now() - flowStart < duration) {
    const t = clock.now() - flowStart;
    const a = processAbsorbance(await d.absSpectrometer.acquire(), refs.abs);
    const p = processPhotoluminescence(await d.plSpectrometer.acquire(), refs.pl);
    samples.push({ t_s: t, abs300: a.abs300, pla: p.pla, peak446: p.peak446 });
    const next = flowStart + t + interval - clock.now();
    if (next > 0) await clock.sleep(next);
  }
  const tau = tau_s(reactorFlow(condition, g), g);
  const steady = samples.filter((s) => s.t_s >= 2 * tau);
  return {
    condition,
    tau_s: tau,
    flowStart_s: flowStart,
    samples,
    rsdAfter2Tau: {
      abs300: rsd(steady.map((s) => s.abs300)),
      pla: rsd(steady.map((s) => s.pla)),
      peak446: rsd(steady.map((s) => s.peak446)),
      samples: steady.length,
    },
    paper: PAPER_RSD.stability,
  };
}

/** Result of the cross-contamination test. */
export interface CrossContaminationResult {
  reference: Condition;
  /** Every experiment in run order, flagged reference or random. */
  runs: { isReference: boolean; measurement: Measurement }[];
  rsdReference: { abs300: number; pla: number; peak446: number; samples: number };
  paper: typeof PAPER_RSD.crossContamination;
}

/**
 * Cross-contamination (Fig. 3B): the reference condition, then alternately a random
 * condition from the search space and the reference again; RSDs of the reference runs.
 */
export async function crossContamination(
  lab: SimulatedLab,
  reference: Condition,
  o: { randomConditions?: number; seed?: number } = {},
): Promise<CrossContaminationResult> {
  const n = o.randomConditions ?? 6;
  const rng = new Rng(o.seed ?? 0);
  const runs: CrossContaminationResult["runs"] = [{ isReference: true, measurement: await lab.run(reference) }];
  for (let i = 0; i < n; i++) {
    const c = Object.fromEntries(DEFAULT_SPACE.inputs.map((s) => [s.name, Math.round(rng.range(s.bounds[0], s.bounds[1]))])) as Condition;
    runs.push({ isReference: false, measurement: await lab.run(c) });
    runs.push({ isReference: true, measurement: await lab.run(reference) });
  }
  const refs = runs.filter((r) => r.isReference).map((r) => r.measurement);
  return {
    reference,
    runs,
    rsdReference: {
      abs300: rsd(refs.map((m) => m.outcomes.abs300)),
      pla: rsd(refs.map((m) => m.outcomes.pla)),
      peak446: rsd(refs.map((m) => m.outcomes.peak446 ?? NaN)),
      samples: refs.length,
    },
    paper: PAPER_RSD.crossContamination,
  };
}
