/**
 * The spectra folder of the original lab as a live source: LabVIEW (or any instrument
 * software) writes Abs<k>.csv and PL<k>.csv, one pair per measurement, beside the
 * wavelength, dark and light reference files. A {@link DropFolder} waits for a pair,
 * waits until both files have stopped growing (like chokidar's awaitWriteFinish),
 * re-reads partial or malformed files a bounded number of times, and times out with a
 * message naming the folder and the files it waited for.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DeviceError, SdflError } from "../../core/errors.js";
import type { Clock } from "../clock.js";
import type { RawAcquisition, SpectrumKind, SpectrumReferences } from "../protocols.js";
import { readAcquisition, readColumn } from "../spectra/folder.js";
import { naturalCompare } from "../spectra/naturalSort.js";

/** Timing of a drop folder, in lab seconds (the clock's time). */
export interface DropFolderOptions {
  dir: string;
  clock: Clock;
  /** How often the folder is listed, s (default 0.5). */
  poll_s?: number;
  /** A file counts as written when its size and mtime have not changed for this long, s (default 1). */
  stable_s?: number;
  /** Give up waiting for a pair after, s (default 600). */
  timeout_s?: number;
  /** Re-reads of a partial or malformed file before giving up (default 3). */
  retries?: number;
  /** Name used in errors (default "spectrometer:folder"). */
  name?: string;
}

/** One measurement: both spectra of Abs<k>.csv and PL<k>.csv. */
export interface SpectraPair {
  index: number;
  abs: RawAcquisition;
  pl: RawAcquisition;
}

const KIND_PREFIX: Record<SpectrumKind, string> = { absorbance: "Abs", photoluminescence: "PL" };

export class DropFolder {
  readonly dir: string;
  readonly name: string;
  private readonly poll_s: number;
  private readonly stable_s: number;
  readonly timeout_s: number;
  private readonly retries: number;
  private grids: Partial<Record<SpectrumKind, Float64Array>> = {};

  constructor(private readonly o: DropFolderOptions) {
    this.dir = o.dir;
    this.name = o.name ?? "spectrometer:folder";
    this.poll_s = o.poll_s ?? 0.5;
    this.stable_s = o.stable_s ?? 1;
    this.timeout_s = o.timeout_s ?? 600;
    this.retries = o.retries ?? 3;
  }

  get clock(): Clock {
    return this.o.clock;
  }

  private file(prefix: string): string {
    if (!existsSync(this.dir))
      throw new DeviceError(this.name, `the spectra folder ${this.dir} does not exist`, "create it or fix the folder in the lab configuration");
    const name = readdirSync(this.dir)
      .filter((f) => f.startsWith(prefix) && f.toLowerCase().endsWith(".csv"))
      .sort(naturalCompare)[0];
    if (!name)
      throw new DeviceError(
        this.name,
        `${join(this.dir, prefix + "*.csv")} is missing`,
        "the folder needs Wavelength_Abs, Wavelength_PL, DR_Abs, DR_PL and LR files",
      );
    return join(this.dir, name);
  }

  /** Wavelength grid of a kind (Wavelength_Abs / Wavelength_PL), nm. Shape [w]. */
  grid(kind: SpectrumKind): Float64Array {
    return (this.grids[kind] ??= readColumn(this.file(kind === "absorbance" ? "Wavelength_Abs" : "Wavelength_PL")));
  }

  /** Dark (and, for absorbance, light) references of the original layout. */
  references(kind: SpectrumKind): SpectrumReferences {
    if (kind === "absorbance") return { dark_counts: readColumn(this.file("DR_Abs")), light_counts: readColumn(this.file("LR")) };
    return { dark_counts: readColumn(this.file("DR_PL")) };
  }

  /** Indices k of every Abs<k>.csv / PL<k>.csv present now. */
  indices(): { abs: Set<number>; pl: Set<number> } {
    const abs = new Set<number>();
    const pl = new Set<number>();
    for (const f of existsSync(this.dir) ? readdirSync(this.dir) : []) {
      const m = /^(Abs|PL)(\d+)\.csv$/.exec(f);
      if (m) (m[1] === "Abs" ? abs : pl).add(Number(m[2]));
    }
    return { abs, pl };
  }

  /** The highest index present now (0 when none): pairs up to it are stale for a new acquisition. */
  highestIndex(): number {
    const { abs, pl } = this.indices();
    return Math.max(0, ...abs, ...pl);
  }

  /**
   * Wait for the first complete pair with index > `after` (or exactly `index` when given),
   * both files stopped growing, parsed. Partial or malformed files are re-read up to
   * `retries` times; then, or after `timeout_s`, a DeviceError.
   */
  async waitForPair(o: { after?: number; index?: number; signal?: AbortSignal }): Promise<SpectraPair> {
    const clock = this.o.clock;
    const start = clock.now();
    const want = o.index !== undefined ? `Abs${o.index}.csv and PL${o.index}.csv` : `a new Abs<k>.csv / PL<k>.csv pair (k > ${o.after ?? 0})`;
    let failures = 0;
    let lastProblem = "";
    for (;;) {
      o.signal?.throwIfAborted();
      const { abs, pl } = this.indices();
      const ready = [...abs].filter((k) => pl.has(k) && (o.index !== undefined ? k === o.index : k > (o.after ?? 0))).sort((a, b) => a - b);
      if (ready.length > 0) {
        const k = ready[0];
        const files = [join(this.dir, `${KIND_PREFIX.absorbance}${k}.csv`), join(this.dir, `${KIND_PREFIX.photoluminescence}${k}.csv`)];
        await this.waitStable(files, start, want, o.signal);
        try {
          return { index: k, abs: this.read(files[0], "absorbance", start), pl: this.read(files[1], "photoluminescence", start) };
        } catch (e) {
          if (!(e instanceof SdflError)) throw e;
          failures++;
          lastProblem = e.message;
          if (failures > this.retries) {
            throw new DeviceError(
              this.name,
              `spectrum ${k} stayed truncated or malformed after ${failures} reads: ${lastProblem}`,
              "check that the instrument software finishes writing its files (disk full? crashed mid-write?) and that the file layout matches the wavelength file",
            );
          }
        }
      }
      if (clock.now() - start > this.timeout_s) {
        throw new DeviceError(
          this.name,
          `waited ${this.timeout_s} s for ${want} in ${this.dir}; none appeared${lastProblem ? ` (last problem: ${lastProblem})` : ""}`,
          "check that the spectrometer software is running and writes into this folder, or raise spectrometer.timeout_s in the lab configuration",
        );
      }
      await clock.sleep(failures > 0 ? this.stable_s : this.poll_s, o.signal);
    }
  }

  private read(file: string, kind: SpectrumKind, start: number): RawAcquisition {
    return { ...readAcquisition(file, kind, this.grid(kind)), startedAt_s: start };
  }

  /** Wait until every file's size and mtime have been unchanged (and non-zero) for `stable_s`. */
  private async waitStable(files: string[], start: number, want: string, signal?: AbortSignal): Promise<void> {
    const clock = this.o.clock;
    const sig = (): string => files.map((f) => (existsSync(f) ? `${statSync(f).size}:${statSync(f).mtimeMs}` : "gone")).join("|");
    let last = sig();
    let since = clock.now();
    for (;;) {
      await clock.sleep(Math.min(this.poll_s, this.stable_s / 2), signal);
      const now = sig();
      if (now !== last) {
        last = now;
        since = clock.now();
      } else if (clock.now() - since >= this.stable_s && !/(^|\|)0:/.test(now) && !now.includes("gone")) return;
      if (clock.now() - start > this.timeout_s) {
        throw new DeviceError(this.name, `${want} in ${this.dir} kept changing (or stayed empty) for ${this.timeout_s} s`, "check the spectrometer software");
      }
    }
  }
}
