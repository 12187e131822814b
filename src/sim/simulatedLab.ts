/**
 * SimulatedLab: the reactor simulator behind the `Lab` interface of src/bo.
 *
 * Two modes:
 * - "physics" (default): an experiment runs on virtual pumps, heater and spectrometers
 *   on a virtual clock (set points, wait for temperature, wait 2 tau, acquire raw
 *   spectra, original processing pipeline), with heater dynamics, transients,
 *   carry-over, noise and drift.
 * - "steady": the steady state at the set point plus feature noise, no devices; fast,
 *   and batched through {@link SimulatedLab.measureBatch}.
 * In both, {@link SimulatedLab.evaluateTrue} gives the noise-free steady-state PLQY proxy.
 */
import type { BenchmarkLab, Measurement } from "../bo/lab.js";
import { Rng } from "../core/rng.js";
import type { RawAcquisition, SpectrumReferences } from "../hil/protocols.js";
import { resolveTwinPath } from "../twin/dataPaths.js";
import { loadTwin } from "../twin/loadTwin.js";
import { plqyProxy } from "../twin/plqy.js";
import { DEFAULT_SPACE, checkInBounds, paperArray, paperMeasurement, type Condition, type SearchSpace } from "../twin/space.js";
import type { Twin } from "../twin/twin.js";
import { VirtualClock } from "./clock.js";
import { InstrumentDrift } from "./drift.js";
import { carrierFlow, dropletConcentrations, reactionTime_s, reactorFlow, tau_s } from "./flow.js";
import { FeatureNoise, formatNoiseSpec, parseNoiseSpec, type NoiseSpec } from "./noise.js";
import { executePlan, type ReactorDevices } from "../hil/orchestration.js";
import { planExperiment, type ExperimentPlan } from "../hil/plan.js";
import type { ReactorMap } from "../hil/reactorMap.js";
import { reactorParams, type ReactorParams, type ReactorParamsOverride } from "./params.js";
import { DEFAULT_SPECTRA_PARAMS, type SpectraParams } from "./spectra/instrument.js";
import { processAbsorbance, processPhotoluminescence } from "../hil/spectra/pipeline.js";
import { SpectraSynthesizer } from "./spectra/synth.js";
import { SteadyStateModel, type SteadyStateBatch } from "./steadyState.js";
import { VirtualHeater } from "./devices/virtualHeater.js";
import { VirtualPump } from "./devices/virtualPump.js";
import { VirtualSpectrometer } from "./devices/virtualSpectrometer.js";
import { STREAMS, VirtualReactor } from "./virtualReactor.js";

/** Options of a {@link SimulatedLab}. */
export interface SimulatedLabOptions {
  /** "physics" (virtual devices, default) or "steady" (steady state + noise, fast). */
  mode?: "physics" | "steady";
  /** Noise: a {@link NoiseSpec} or its text form ("measured" default, "none", "0.04", "features:0.05"). */
  noise?: NoiseSpec | string;
  /** Seed of every random draw (default 0). */
  seed?: number;
  /** Physics parameters replacing the defaults (per group). */
  params?: ReactorParamsOverride;
  /** Spectrometer and droplet-train parameters replacing the defaults. */
  spectra?: Partial<SpectraParams>;
  /** Truth: ensemble "mean" (default) or one member's index. */
  truth?: "mean" | number;
  /** Bounds that `run` enforces (default: the published search space). */
  space?: SearchSpace;
  /** Name used in logs and stores (default "sim:<twin source>"). */
  name?: string;
  /** Physics mode: load a full syringe when less than 20 % is left before an experiment (default true). */
  autoRefill?: boolean;
  /** Physics mode: initial plate temperature, degC (default ambient). */
  initialPlate_degC?: number;
}

/** A physics-mode experiment with its raw data. */
export interface SpectraRun {
  measurement: Measurement;
  refs: { abs: SpectrumReferences; pl: SpectrumReferences };
  abs: RawAcquisition;
  pl: RawAcquisition;
}

/** Fraction of a syringe below which autoRefill loads a new one. */
const REFILL_BELOW_FRACTION = 0.2;

export class SimulatedLab implements BenchmarkLab {
  readonly name: string;
  readonly mode: "physics" | "steady";
  readonly noise: NoiseSpec;
  readonly params: ReactorParams;
  readonly model: SteadyStateModel;
  readonly synth: SpectraSynthesizer;
  readonly clock: VirtualClock;
  readonly space: SearchSpace;
  /** Physics mode only: the simulated world and its devices. */
  readonly reactor?: VirtualReactor;
  readonly devices?: ReactorDevices & { pumps: Record<(typeof STREAMS)[number], VirtualPump> };
  private readonly featureNoise: FeatureNoise;
  private readonly drift: InstrumentDrift;
  private readonly autoRefill: boolean;
  private refs?: { abs: SpectrumReferences; pl: SpectrumReferences };
  private closed = false;

  /** Load a twin file ("chem1" = the published twin, or a path) and build a lab on it; close() disposes the twin. */
  static async fromTwin(twinFile: string, options: SimulatedLabOptions = {}): Promise<SimulatedLab> {
    const lab = new SimulatedLab(await loadTwin(resolveTwinPath(twinFile)), options);
    lab.ownsTwin = true;
    return lab;
  }

  /** True when the lab loaded its twin itself (then close() disposes it). */
  private ownsTwin = false;

  constructor(
    readonly twin: Twin,
    options: SimulatedLabOptions = {},
  ) {
    this.mode = options.mode ?? "physics";
    this.noise = typeof options.noise === "string" ? parseNoiseSpec(options.noise) : (options.noise ?? { kind: "measured" });
    this.params = reactorParams(options.params);
    this.space = options.space ?? DEFAULT_SPACE;
    this.synth = new SpectraSynthesizer({ ...DEFAULT_SPECTRA_PARAMS, ...options.spectra });
    this.model = new SteadyStateModel(twin, this.params, { truth: options.truth, peakPerArea_per_nm: this.synth.peakForArea(1) });
    this.name = options.name ?? `sim:${this.mode}:${twin.source}`;
    this.clock = new VirtualClock();
    this.autoRefill = options.autoRefill ?? true;
    const seed = options.seed ?? 0;
    const rng = new Rng(seed);
    this.featureNoise = new FeatureNoise(this.noise, this.params.noise, rng.fork());
    this.drift = new InstrumentDrift(this.params.noise, rng.fork(), this.noise.kind === "measured");
    if (this.mode === "physics") {
      const reactor = new VirtualReactor({
        model: this.model,
        params: this.params,
        synth: this.synth,
        clock: this.clock,
        noise: this.noise,
        seed: rng.nextUint32(),
        initialPlate_degC: options.initialPlate_degC,
      });
      this.reactor = reactor;
      const pumps = {
        CuI: new VirtualPump(reactor, "CuI"),
        ZnI2: new VirtualPump(reactor, "ZnI2"),
        CsOA: new VirtualPump(reactor, "CsOA"),
        ODE: new VirtualPump(reactor, "ODE"),
        PFO: new VirtualPump(reactor, "PFO"),
      };
      this.devices = {
        pumps,
        heater: new VirtualHeater(reactor),
        absSpectrometer: new VirtualSpectrometer(reactor, "absorbance"),
        plSpectrometer: new VirtualSpectrometer(reactor, "photoluminescence"),
      };
    }
  }

  /** Noise-free steady-state PLQY proxy at each condition (set-point temperature, nominal geometry). One twin call. */
  evaluateTrue(conditions: readonly Condition[]): number[] {
    return Array.from(this.model.evaluateConditions(conditions).plqy);
  }

  /** Noise-free steady-state features at each condition. Arrays of shape [n]. */
  trueFeatures(conditions: readonly Condition[]): SteadyStateBatch {
    return this.model.evaluateConditions(conditions);
  }

  /** Run one experiment (bounds checked) in the lab's mode. */
  async run(condition: Condition, signal?: AbortSignal): Promise<Measurement> {
    if (this.closed) throw new Error("SimulatedLab is closed");
    checkInBounds(this.space, paperArray(condition), "experiment condition");
    signal?.throwIfAborted();
    return this.mode === "physics" ? this.runPhysics(condition, signal) : this.measureBatch([condition])[0];
  }

  /** The noisy measurement with physics (same as {@link run}); named as in the design notes. */
  measure(condition: Condition, signal?: AbortSignal): Promise<Measurement> {
    return this.run(condition, signal);
  }

  /**
   * Steady-state measurements of many conditions with one twin call (either mode; no
   * devices, no transients): noise and drift as configured, lab time advancing by the
   * nominal duration of each experiment.
   */
  measureBatch(conditions: readonly Condition[]): Measurement[] {
    conditions.forEach((c, i) => checkInBounds(this.space, paperArray(c), `experiment condition ${i + 1}`));
    const truth = this.model.evaluateConditions(conditions);
    const ref = this.twin.plqyReference;
    return conditions.map((c, i) => {
      const startedAt = this.clock.now();
      this.clock.advance(this.nominalDuration_s(c));
      const finishedAt = this.clock.now();
      const f = this.featureNoise.features({ abs300: truth.abs300[i], pla: truth.pla[i], peak446: truth.peak446[i] }, this.drift.lampFactor(finishedAt));
      return paperMeasurement({
        condition: { ...c },
        pfo: carrierFlow(c, this.params.geometry),
        abs300: f.abs300,
        pla: f.pla,
        peak446: f.peak446,
        plqy: plqyProxy(f.abs300, f.pla, ref),
        startedAt,
        finishedAt,
        meta: { mode: "steady", noise: formatNoiseSpec(this.noise), truePlqy: truth.plqy[i] },
      });
    });
  }

  /** Lab time one steady-state experiment takes: wait N tau, then two acquisitions, s. */
  nominalDuration_s(c: Condition): number {
    const q = reactorFlow(c, this.params.geometry);
    return this.params.transient.waitResidenceTimes * tau_s(q, this.params.geometry) + 2 * this.synth.params.frames * this.synth.params.frameTime_s;
  }

  private async runPhysics(c: Condition, signal?: AbortSignal): Promise<Measurement> {
    return (await this.runPhysicsRecord(c, signal)).measurement;
  }

  private async runPhysicsRecord(c: Condition, signal?: AbortSignal): Promise<SpectraRun> {
    const d = this.devices!;
    if (!this.refs) this.refs = { abs: await d.absSpectrometer.references({ signal }), pl: await d.plSpectrometer.references({ signal }) };
    const refills: string[] = [];
    if (this.autoRefill) {
      for (const stream of STREAMS) {
        const p = d.pumps[stream];
        const r = await p.read();
        if (r.remaining_uL.value < REFILL_BELOW_FRACTION * p.limits.syringeVolume_uL) {
          p.refill();
          refills.push(p.name);
        }
      }
    }
    const g = this.params.geometry;
    const q = reactorFlow(c, g);
    const rec = await executePlan(d, this.clock, this.plan(c), { signal });
    const a = processAbsorbance(rec.abs, this.refs.abs);
    const p = processPhotoluminescence(rec.pl, this.refs.pl);
    const measurement: Measurement = paperMeasurement({
      condition: { ...c },
      pfo: carrierFlow(c, g),
      abs300: a.abs300,
      pla: p.pla,
      peak446: p.peak446,
      plqy: plqyProxy(a.abs300, p.pla, this.twin.plqyReference),
      startedAt: rec.startedAt_s,
      finishedAt: rec.finishedAt_s,
      meta: {
        mode: "physics",
        noise: formatNoiseSpec(this.noise),
        plate_degC: rec.plate_degC,
        heatWait_s: rec.heatWait_s,
        tau_s: tau_s(q, g),
        reactionTime_s: reactionTime_s(q, g),
        totalFlow_uL_min: q,
        concentrations_mM: dropletConcentrations(c, this.params.stocks),
        framesUsed: { abs: a.framesUsed, pl: p.framesUsed },
        refills,
        // The processed spectra, thinned to at most 128 points, for the live dashboard.
        spectra: {
          "absorbance (a.u.)": thinSpectrum(rec.abs.wavelengths_nm, a.absorbance),
          "PL (counts)": thinSpectrum(rec.pl.wavelengths_nm, p.spectrum),
        },
      },
    });
    return { measurement, refs: this.refs, abs: rec.abs, pl: rec.pl };
  }

  /**
   * The experiment plan of a condition: the same plan builder and runner as on hardware
   * (src/hil), with this simulator's geometry (PFO ratio, tubing volume) and heater rules.
   */
  plan(c: Condition): ExperimentPlan {
    const g = this.params.geometry;
    const h = this.params.heater;
    const map: ReactorMap = {
      temperature: "T",
      streams: [
        ...STREAMS.filter((s) => s !== "PFO").map((s) => ({ pump: s, from: { input: s } })),
        { pump: "PFO", from: { sumOf: ["CuI", "ZnI2", "CsOA", "ODE"], factor: g.pfoRatio } },
      ],
    };
    return planExperiment(c, map, {
      residence: { volume_uL: g.inletVolume_uL + g.heatedVolume_uL + g.outletVolume_uL, times: this.params.transient.waitResidenceTimes },
      temperature: { tolerance_degC: h.settleTolerance_degC, hold_s: h.settleHold_s, poll_s: 2, timeout_s: 3600 },
      heaterRamp_degC_min: 10,
      acquire_s: this.synth.params.frames * this.synth.params.frameTime_s,
    });
  }

  /** A physics-mode experiment with its raw acquisitions and the references used, for writing spectra folders. */
  async runWithSpectra(condition: Condition, signal?: AbortSignal): Promise<SpectraRun> {
    if (this.mode !== "physics") throw new Error('runWithSpectra needs mode "physics"');
    if (this.closed) throw new Error("SimulatedLab is closed");
    checkInBounds(this.space, paperArray(condition), "experiment condition");
    return this.runPhysicsRecord(condition, signal);
  }

  /** Stop pumps and put the heater in its safe state (physics mode); idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.devices) {
      for (const p of Object.values(this.devices.pumps)) await p.stop(true);
      await this.devices.heater.stop(true);
    }
    if (this.ownsTwin) this.twin.dispose();
  }
}

/** Every k-th point of a spectrum so that at most `max` remain (x in nm, values rounded to 5 significant digits). */
function thinSpectrum(x: ArrayLike<number>, y: ArrayLike<number>, max = 128): { x: number[]; y: number[] } {
  const step = Math.max(1, Math.ceil(x.length / max));
  const out = { x: [] as number[], y: [] as number[] };
  for (let i = 0; i < x.length; i += step) {
    out.x.push(Number(x[i].toPrecision(5)));
    out.y.push(Number(y[i].toPrecision(5)));
  }
  return out;
}
