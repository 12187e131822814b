/**
 * A Spectrometer whose spectra come from a {@link DropFolder}: `acquire()` waits for the
 * next Abs<k>.csv / PL<k>.csv pair written after the call (a free-running instrument
 * keeps writing; pairs already there are stale and never count). The absorbance and PL
 * spectrometers of one folder share it: the first acquire of a measurement waits for a
 * new pair, the other one then takes its half of the same pair.
 */
import { DeviceError } from "../../core/errors.js";
import type { AcquireOptions, RawAcquisition, SetOptions, Spectrometer, SpectrometerReadings, SpectrumKind, SpectrumReferences } from "../protocols.js";
import type { DropFolder, SpectraPair } from "./dropFolder.js";

/** The half of the latest pair not yet taken, per folder. */
const pending = new WeakMap<DropFolder, { pair: SpectraPair; taken: Set<SpectrumKind> }>();

export class FileDropSpectrometer implements Spectrometer {
  readonly kind = "spectrometer" as const;
  readonly name: string;
  private count = 0;
  private running?: AbortController;

  constructor(
    readonly folder: DropFolder,
    readonly measures: SpectrumKind,
    name?: string,
  ) {
    this.name = name ?? `spectrometer:${measures === "absorbance" ? "abs" : "pl"}`;
  }

  async references(options: SetOptions = {}): Promise<SpectrumReferences> {
    options.signal?.throwIfAborted();
    return this.folder.references(this.measures);
  }

  async acquire(options: AcquireOptions = {}): Promise<RawAcquisition> {
    if (this.running) throw new DeviceError(this.name, "an acquisition is already running", "wait for it to finish");
    const p = pending.get(this.folder);
    if (p && !p.taken.has(this.measures)) {
      p.taken.add(this.measures);
      this.count++;
      return this.measures === "absorbance" ? p.pair.abs : p.pair.pl;
    }
    const ac = new AbortController();
    this.running = ac;
    const onAbort = (): void => ac.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const pair = await this.folder.waitForPair({ after: this.folder.highestIndex(), signal: ac.signal });
      pending.set(this.folder, { pair, taken: new Set([this.measures]) });
      this.count++;
      return this.measures === "absorbance" ? pair.abs : pair.pl;
    } catch (e) {
      if (ac.signal.aborted) throw new DeviceError(this.name, "acquisition aborted", "the lab was stopped; resume the campaign to repeat the experiment");
      throw e;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      this.running = undefined;
    }
  }

  async stop(): Promise<void> {
    this.running?.abort();
  }

  async read(): Promise<SpectrometerReadings> {
    const t = this.folder.clock.now();
    return { acquisitions: { value: this.count, timestamp_s: t }, busy: { value: this.running !== undefined, timestamp_s: t } };
  }
}
