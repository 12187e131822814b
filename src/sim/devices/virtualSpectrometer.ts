import { DeviceError } from "../../core/errors.js";
import type { AcquireOptions, RawAcquisition, SetOptions, Spectrometer, SpectrometerReadings, SpectrumKind, SpectrumReferences } from "../../hil/protocols.js";
import type { VirtualReactor } from "../virtualReactor.js";

/**
 * A simulated spectrometer behind one flow cell. An acquisition takes frames x frame
 * time of clock time and shows the features at the cell at its midpoint, with noise,
 * lamp and dark drift and read noise as the reactor's noise spec says.
 */
export class VirtualSpectrometer implements Spectrometer {
  readonly kind = "spectrometer" as const;
  readonly name: string;
  private count = 0;
  private busy = false;
  private abort: AbortController | null = null;

  constructor(
    private readonly reactor: VirtualReactor,
    readonly measures: SpectrumKind,
  ) {
    this.name = measures === "absorbance" ? "spectrometer:abs" : "spectrometer:pl";
  }

  async references(options: SetOptions = {}): Promise<SpectrumReferences> {
    await this.reactor.clock.sleep(2 * this.reactor.synth.params.frameTime_s, options.signal);
    this.reactor.sync();
    const t = this.reactor.clock.now();
    const refs = this.reactor.synth.references();
    const off = this.reactor.drift.darkOffset_counts(t);
    const lamp = this.reactor.drift.lampFactor(t);
    const dark = refs.abs.dark_counts.map((v) => v + off);
    if (this.measures === "photoluminescence") return { dark_counts: dark };
    const light = dark.map((d, i) => d + lamp * this.reactor.synth.lamp[i]);
    return { dark_counts: dark, light_counts: light };
  }

  async acquire(options: AcquireOptions = {}): Promise<RawAcquisition> {
    if (this.busy) throw new DeviceError(this.name, "an acquisition is already running", "wait for it to finish before starting another");
    const frames = options.frames ?? this.reactor.synth.params.frames;
    if (!Number.isInteger(frames) || frames < 1)
      throw new DeviceError(this.name, `cannot acquire ${frames} frames`, "ask for a positive whole number of frames");
    const duration = frames * this.reactor.synth.params.frameTime_s;
    if (options.timeout_s !== undefined && duration > options.timeout_s) {
      throw new DeviceError(this.name, `acquisition of ${frames} frames takes ${duration} s, longer than the timeout of ${options.timeout_s} s`);
    }
    this.busy = true;
    this.abort = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, this.abort.signal]) : this.abort.signal;
    try {
      const start = this.reactor.clock.now();
      await this.reactor.clock.sleep(duration / 2, signal);
      const acq = this.reactor.acquire(this.measures, frames);
      await this.reactor.clock.sleep(duration / 2, signal);
      this.count++;
      return { ...acq, startedAt_s: start };
    } finally {
      this.busy = false;
      this.abort = null;
    }
  }

  async stop(_success = true): Promise<void> {
    this.abort?.abort(new DeviceError(this.name, "acquisition stopped"));
  }

  async read(): Promise<SpectrometerReadings> {
    const t = this.reactor.clock.now();
    return { acquisitions: { value: this.count, timestamp_s: t }, busy: { value: this.busy, timestamp_s: t } };
  }
}
