/**
 * The simulated reactor world behind the virtual devices: pump flows and the plate
 * temperature go in, the optical features at the flow cells come out, with heater
 * dynamics, transients, noise and drift. Time is a {@link VirtualClock}; the world is
 * integrated lazily up to `clock.now()` whenever a device looks at it.
 */
import { Rng } from "../core/rng.js";
import type { RawAcquisition } from "../hil/protocols.js";
import type { VirtualClock } from "./clock.js";
import { InstrumentDrift } from "./drift.js";
import type { Features } from "./features.js";
import { reactionTime_s } from "./flow.js";
import { HeaterPlant } from "./heaterPlant.js";
import { FeatureNoise, type NoiseSpec } from "./noise.js";
import type { ReactorParams } from "./params.js";
import type { SpectraSynthesizer } from "./spectra/synth.js";
import type { SteadyStateInput, SteadyStateModel } from "./steadyState.js";
import { OutletHistory } from "./transient.js";

/** The five streams, in pump order. */
export const STREAMS = ["CuI", "ZnI2", "CsOA", "ODE", "PFO"] as const;
export type StreamName = (typeof STREAMS)[number];

/** Inlet segments starting closer than this (cumulative volume, uL) are merged into one. */
const SEGMENT_COALESCE_uL = 1;
/** Plate temperature change that starts a new chemistry segment, degC... */
const TEMPERATURE_SEGMENT_STEP_degC = 0.02;
/** ...but at most one temperature segment per this many seconds (bounds the twin calls while heating). */
const TEMPERATURE_SEGMENT_MIN_INTERVAL_s = 2;

/** Options of a {@link VirtualReactor}. */
export interface VirtualReactorOptions {
  model: SteadyStateModel;
  params: ReactorParams;
  synth: SpectraSynthesizer;
  clock: VirtualClock;
  noise: NoiseSpec;
  seed: number;
  /** Initial plate temperature, degC (default ambient). */
  initialPlate_degC?: number;
}

/** Pump state kept by the world (the VirtualPump device is its face). */
export interface StreamState {
  rate_uL_min: number;
  dispensed_uL: number;
  capacity_uL: number;
  empty: boolean;
}

export class VirtualReactor {
  readonly plant: HeaterPlant;
  readonly streams: Record<StreamName, StreamState>;
  readonly clock: VirtualClock;
  readonly params: ReactorParams;
  readonly synth: SpectraSynthesizer;
  readonly noise: FeatureNoise;
  readonly drift: InstrumentDrift;
  readonly heaterRng: Rng;
  readonly detectorRng: Rng;
  private readonly model: SteadyStateModel;
  private readonly outlet: OutletHistory;
  private t: number;
  /** Cumulative volume pumped through the junction, uL. */
  private pumped_uL = 0;
  private lastSegmentPlate_degC = NaN;
  private lastSegment_s = -Infinity;
  private readonly pending: PendingSegment[] = [];
  /** Inlet segments evaluated by the twin (diagnostics). */
  segmentEvaluations = 0;

  constructor(o: VirtualReactorOptions) {
    this.model = o.model;
    this.params = o.params;
    this.synth = o.synth;
    this.clock = o.clock;
    const rng = new Rng(o.seed);
    this.noise = new FeatureNoise(o.noise, o.params.noise, rng.fork());
    this.drift = new InstrumentDrift(o.params.noise, rng.fork(), o.noise.kind === "measured");
    this.heaterRng = rng.fork();
    this.detectorRng = rng.fork();
    this.plant = new HeaterPlant(o.params.heater, o.initialPlate_degC ?? o.params.heater.ambient_degC);
    const s = o.params.syringes;
    const stream = (capacity_uL: number): StreamState => ({ rate_uL_min: 0, dispensed_uL: 0, capacity_uL, empty: false });
    this.streams = { CuI: stream(s.CuI_uL), ZnI2: stream(s.ZnI2_uL), CsOA: stream(s.CsOA_uL), ODE: stream(s.ODE_uL), PFO: stream(s.PFO_uL) };
    this.t = o.clock.now();
    const g = o.params.geometry;
    this.outlet = new OutletHistory([0, 0, 0], g.inletVolume_uL + g.heatedVolume_uL + g.outletVolume_uL, o.params.transient);
  }

  /** Total flow of all five pumps, uL/min. */
  totalFlow_uL_min(): number {
    return STREAMS.reduce((s, k) => s + this.streams[k].rate_uL_min, 0);
  }

  /** Integrate heater, pumps and inlet segments up to the clock's time. */
  sync(): void {
    const target = this.clock.now();
    const dt0 = this.params.heater.controlPeriod_s;
    while (this.t < target - 1e-12) {
      const dt = Math.min(dt0, target - this.t);
      this.plant.advance(dt);
      let emptied = false;
      for (const k of STREAMS) {
        const st = this.streams[k];
        if (st.rate_uL_min <= 0) continue;
        st.dispensed_uL += (st.rate_uL_min * dt) / 60;
        if (st.dispensed_uL >= st.capacity_uL) {
          st.dispensed_uL = st.capacity_uL;
          st.rate_uL_min = 0;
          st.empty = true;
          emptied = true;
        }
      }
      this.t += dt;
      this.pumped_uL += (this.totalFlow_uL_min() * dt) / 60;
      const flowing = this.streams.CuI.rate_uL_min + this.streams.ZnI2.rate_uL_min + this.streams.CsOA.rate_uL_min + this.streams.ODE.rate_uL_min > 0;
      const moved = Math.abs(this.plant.temperature_degC - this.lastSegmentPlate_degC) >= TEMPERATURE_SEGMENT_STEP_degC;
      if (emptied || (flowing && moved && this.t - this.lastSegment_s >= TEMPERATURE_SEGMENT_MIN_INTERVAL_s)) this.newSegment();
    }
  }

  /** A pump changed its rate: the junction now delivers a new composition. Call after changing `streams`. */
  flowsChanged(): void {
    this.sync();
    this.newSegment();
  }

  /** Noise-free features at the flow cells now (transients included). */
  outletFeatures(): Features {
    this.sync();
    this.flushSegments();
    const [abs300, pla, peak446] = this.outlet.at(this.pumped_uL);
    return { abs300, pla, peak446 };
  }

  /** One raw acquisition of either spectrometer at the current time, with noise and drift. */
  acquire(kind: RawAcquisition["kind"], frames: number): RawAcquisition {
    const f = this.outletFeatures();
    const now = this.t;
    const lamp = this.drift.lampFactor(now);
    const q = this.totalFlow_uL_min();
    const precursors = q - this.streams.PFO.rate_uL_min;
    const cond = {
      totalFlow_uL_min: Math.max(q, 1e-6),
      dropletFraction: q > 0 ? precursors / q : 0,
      lampFactor: lamp,
      darkOffset_counts: this.drift.darkOffset_counts(now),
      phase: this.detectorRng.uniform(),
      readNoise_counts: this.noise.realistic ? this.params.noise.readNoise_counts : 0,
      rng: this.detectorRng,
      startedAt_s: now,
      frames,
    };
    if (kind === "absorbance") return this.synth.absorbance({ abs300: this.noise.abs300(f.abs300), pla: f.pla }, cond);
    const pl = this.noise.pl(f.pla, f.peak446, lamp);
    return this.synth.photoluminescence({ abs300: f.abs300, pla: pl.pla, peak446: pl.peak446 }, cond);
  }

  /** Plate temperature reading with thermocouple noise, degC. */
  readPlate_degC(): number {
    this.sync();
    const sd = this.noise.realistic ? this.params.heater.sensorNoise_degC : 0;
    return this.plant.temperature_degC + sd * this.heaterRng.normal();
  }

  /**
   * Record the composition now entering the junction. Evaluation is deferred and batched
   * (one twin call per look at the outlet); a segment that starts within
   * SEGMENT_COALESCE_uL of the previous pending one replaces it (pumps set one after the
   * other, 50 ms apart, make one step, not five).
   */
  private newSegment(): void {
    const s = this.streams;
    const q = this.totalFlow_uL_min();
    const plate = this.plant.temperature_degC;
    this.lastSegmentPlate_degC = plate;
    this.lastSegment_s = this.t;
    const seg: PendingSegment = {
      start_uL: this.pumped_uL,
      precursors_uL_min: q - s.PFO.rate_uL_min,
      input: {
        chemistry: [plate, s.CuI.rate_uL_min, s.ZnI2.rate_uL_min, s.CsOA.rate_uL_min, s.ODE.rate_uL_min],
        totalFlow_uL_min: q,
        reactionTime_s: reactionTime_s(q, this.params.geometry),
      },
    };
    const last = this.pending[this.pending.length - 1];
    if (last && seg.start_uL - last.start_uL < SEGMENT_COALESCE_uL) {
      this.pending[this.pending.length - 1] = { ...seg, start_uL: last.start_uL };
    } else {
      this.pending.push(seg);
    }
  }

  /** Evaluate the pending segments with one twin call and hand them to the outlet history. */
  private flushSegments(): void {
    if (this.pending.length === 0) return;
    const flowing = this.pending.filter((p) => p.precursors_uL_min > 0);
    const r = flowing.length > 0 ? this.model.evaluate(flowing.map((p) => p.input)) : undefined;
    this.segmentEvaluations += flowing.length;
    let k = 0;
    for (const p of this.pending) {
      const values = p.precursors_uL_min > 0 ? [r!.abs300[k], r!.pla[k], r!.peak446[k++]] : [0, 0, 0];
      this.outlet.push({ start_uL: p.start_uL, values });
    }
    this.pending.length = 0;
  }
}

/** An inlet segment waiting for its twin evaluation. */
interface PendingSegment {
  start_uL: number;
  precursors_uL_min: number;
  input: SteadyStateInput;
}
