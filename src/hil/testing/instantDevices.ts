/**
 * Instant mock devices: the smallest correct implementations of the device protocols,
 * on a clock whose sleeps return at once. They pass the conformance suites, so
 * orchestration code (plans, safety, DeviceLab) can be tested without any simulator.
 */
import { BoundsError, DeviceError, SyringeEmptyError } from "../../core/errors.js";
import type { Clock } from "../clock.js";
import { checkRange } from "../limits.js";
import type {
  AcquireOptions,
  CheckResult,
  HeaterController,
  HeaterLimits,
  HeaterReadings,
  PumpLimits,
  PumpReadings,
  RawAcquisition,
  SetOptions,
  Spectrometer,
  SpectrometerReadings,
  SpectrumKind,
  SpectrumReferences,
  SyringePump,
} from "../protocols.js";

/** A clock whose `sleep(s)` advances time by s and resolves on the next turn of the event loop. */
export class InstantClock implements Clock {
  private t = 0;
  now(): number {
    return this.t;
  }
  sleep(seconds: number, signal?: AbortSignal): Promise<void> {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) return Promise.reject(new RangeError(`cannot sleep ${seconds} s`));
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      setImmediate(() => {
        if (signal?.aborted) return reject(signal.reason);
        this.t += seconds;
        resolve();
      });
    });
  }
}

/** A pump whose volumes follow the clock exactly. */
export class InstantPump implements SyringePump {
  readonly kind = "syringe-pump" as const;
  readonly limits: PumpLimits;
  private rate = 0;
  private dispensed = 0;
  private since: number;

  constructor(
    readonly name: string,
    private readonly clock: Clock,
    limits: Partial<PumpLimits> = {},
  ) {
    this.limits = { rate_uL_min: limits.rate_uL_min ?? [0, 1000], syringeVolume_uL: limits.syringeVolume_uL ?? 50_000 };
    this.since = clock.now();
  }

  check(rate_uL_min: number): CheckResult {
    return checkRange(`${this.name} rate`, rate_uL_min, "uL/min", this.limits.rate_uL_min);
  }

  private sync(): void {
    const now = this.clock.now();
    this.dispensed = Math.min(this.limits.syringeVolume_uL, this.dispensed + (this.rate * (now - this.since)) / 60);
    if (this.dispensed >= this.limits.syringeVolume_uL) this.rate = 0;
    this.since = now;
  }

  async set(rate_uL_min: number, options: SetOptions = {}): Promise<void> {
    const c = this.check(rate_uL_min);
    if (!c.ok) throw new BoundsError(c.violation.field, rate_uL_min, "uL/min", c.violation.bounds);
    options.signal?.throwIfAborted();
    this.sync();
    if (rate_uL_min > 0 && this.dispensed >= this.limits.syringeVolume_uL) throw new SyringeEmptyError(this.name, 0);
    this.rate = rate_uL_min;
  }

  async stop(): Promise<void> {
    this.sync();
    this.rate = 0;
  }

  async read(): Promise<PumpReadings> {
    this.sync();
    const t = this.clock.now();
    const empty = this.dispensed >= this.limits.syringeVolume_uL;
    return {
      rate_uL_min: { value: this.rate, timestamp_s: t },
      dispensed_uL: { value: this.dispensed, timestamp_s: t },
      remaining_uL: { value: this.limits.syringeVolume_uL - this.dispensed, timestamp_s: t },
      status: { value: empty ? "empty" : this.rate > 0 ? "running" : "stopped", timestamp_s: t },
    };
  }
}

/** A heater whose plate is at its set point at once. */
export class InstantHeater implements HeaterController {
  readonly kind = "heater-controller" as const;
  readonly limits: HeaterLimits;
  private sp: number;
  private on = true;

  constructor(
    readonly name: string,
    private readonly clock: Clock,
    limits: Partial<HeaterLimits> = {},
  ) {
    this.limits = { setPoint_degC: limits.setPoint_degC ?? [20, 200], safeSetPoint_degC: limits.safeSetPoint_degC ?? 25 };
    this.sp = this.limits.safeSetPoint_degC;
  }

  check(t: number): CheckResult {
    return checkRange(`${this.name} set point`, t, "degC", this.limits.setPoint_degC);
  }

  async set(t: number, options: SetOptions = {}): Promise<void> {
    const c = this.check(t);
    if (!c.ok) throw new BoundsError(c.violation.field, t, "degC", c.violation.bounds);
    options.signal?.throwIfAborted();
    this.sp = t;
    this.on = true;
  }

  async stop(success = true): Promise<void> {
    if (!success) {
      this.sp = this.limits.safeSetPoint_degC;
      this.on = false;
    }
  }

  async read(): Promise<HeaterReadings> {
    const t = this.clock.now();
    return {
      setPoint_degC: { value: this.sp, timestamp_s: t },
      processValue_degC: { value: this.sp, timestamp_s: t },
      output_fraction: { value: this.on ? 0.5 : 0, timestamp_s: t },
    };
  }
}

/** A spectrometer that returns flat synthetic frames after frames x frameTime of clock time. */
export class InstantSpectrometer implements Spectrometer {
  readonly kind = "spectrometer" as const;
  readonly wavelengths_nm: Float64Array;
  private count = 0;
  private running?: AbortController;

  constructor(
    readonly name: string,
    readonly measures: SpectrumKind,
    private readonly clock: Clock,
    readonly frameTime_s = 0.1,
    /** Counts of every pixel of every frame, or a function of wavelength (nm). */
    readonly counts: number | ((nm: number) => number) = 1000,
  ) {
    this.wavelengths_nm = Float64Array.from({ length: 376 }, (_, i) => 250 + 2 * i);
  }

  private spectrum(level: number | ((nm: number) => number)): Float64Array {
    return Float64Array.from(this.wavelengths_nm, (w) => (typeof level === "number" ? level : level(w)));
  }

  async references(options: SetOptions = {}): Promise<SpectrumReferences> {
    options.signal?.throwIfAborted();
    return this.measures === "absorbance" ? { dark_counts: this.spectrum(100), light_counts: this.spectrum(10_000) } : { dark_counts: this.spectrum(100) };
  }

  async acquire(options: AcquireOptions = {}): Promise<RawAcquisition> {
    if (this.running) throw new DeviceError(this.name, "an acquisition is already running", "wait for it to finish");
    const ac = new AbortController();
    this.running = ac;
    const frames = options.frames ?? 60;
    const startedAt_s = this.clock.now();
    const onAbort = (): void => ac.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await this.clock.sleep(frames * this.frameTime_s, ac.signal);
    } catch {
      throw new DeviceError(this.name, "acquisition aborted", "the lab was stopped; resume the campaign to repeat it");
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      this.running = undefined;
    }
    this.count++;
    return {
      kind: this.measures,
      wavelengths_nm: this.wavelengths_nm,
      frames: Array.from({ length: frames }, () => this.spectrum(this.counts)),
      startedAt_s,
      frameTime_s: this.frameTime_s,
    };
  }

  async stop(): Promise<void> {
    this.running?.abort();
  }

  async read(): Promise<SpectrometerReadings> {
    const t = this.clock.now();
    return { acquisitions: { value: this.count, timestamp_s: t }, busy: { value: this.running !== undefined, timestamp_s: t } };
  }
}
