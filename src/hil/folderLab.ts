/**
 * Folder mode: a drop-in for the original lab's LabVIEW automation. sdfl appends each
 * chosen condition to FR.csv as the original optimizer did (eight columns, no header:
 * T, CuI, ZnI2, CsOA, ODE, PFO = half the precursor sum, number of residence times,
 * washing flag), then waits for that row's Abs<k>.csv and PL<k>.csv (row k, 1-based),
 * which may be written slowly, and processes them with the original pipeline. The
 * external automation drives the hardware; sdfl never touches a device.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Lab, Measurement } from "../bo/lab.js";
import { DataError } from "../core/errors.js";
import { objectiveOf, setPointsOf, type Problem } from "../bo/problem/problem.js";
import type { Condition } from "../bo/problem/space.js";
import { INPUT_NAMES, PAPER_PROBLEM } from "../twin/space.js";
import type { DeviceLog } from "./deviceLog.js";
import type { DropFolder, SpectraPair } from "./drivers/dropFolder.js";
import { readSpectraFolder } from "./spectra/folder.js";
import { processAbsorbance, processPhotoluminescence } from "./spectra/pipeline.js";

/** Options of a {@link FolderLab}. */
export interface FolderLabOptions {
  folder: DropFolder;
  /** PFO = factor x the precursor sum (0.5 in the paper's reactor). */
  pfoFactor?: number;
  /** Residence times written in column 7 (2 in the original). */
  residenceTimes?: number;
  log?: DeviceLog;
  /** FR.csv rows already measured by earlier runs of this campaign (from the device log): never reused. */
  consumedRows?: ReadonlySet<number>;
  /** The paper's problem by default (the folder protocol's eight columns are its inputs). */
  problem?: Problem;
}

const fmt = (v: number): string => String(Math.round(v * 1e4) / 1e4);

export class FolderLab implements Lab {
  readonly name: string;
  private readonly consumed: Set<number>;

  constructor(readonly o: FolderLabOptions) {
    this.name = `folder:${o.folder.dir}`;
    this.consumed = new Set(o.consumedRows ?? []);
  }

  private get frFile(): string {
    return join(this.o.folder.dir, "FR.csv");
  }

  /** FR.csv rows as numbers (empty when the file does not exist). */
  rows(): number[][] {
    if (!existsSync(this.frFile)) return [];
    return readFileSync(this.frFile, "utf8")
      .split(/\r\n|\n|\r/)
      .filter((l) => l.trim() !== "")
      .map((l) => l.split(",").map((c) => Number(c.trim())));
  }

  /**
   * The rows of FR.csv that already have both spectra, processed with the original
   * pipeline: the campaign's initial data. Row k (1-based) goes with Abs<k>.csv / PL<k>.csv.
   */
  initialData(): Measurement[] {
    const f = readSpectraFolder(this.o.folder.dir);
    const out: Measurement[] = [];
    for (const e of f.experiments) {
      const row = f.conditions[e.index - 1];
      if (!row || !e.abs || !e.pl) continue;
      this.consumed.add(e.index);
      out.push(this.measurement({ ...row.condition }, { index: e.index, abs: e.abs, pl: e.pl }, NaN, NaN, f.absRefs, f.plRefs));
    }
    return out;
  }

  private measurement(
    c: Condition,
    pair: SpectraPair,
    startedAt: number,
    finishedAt: number,
    absRefs = this.o.folder.references("absorbance"),
    plRefs = this.o.folder.references("photoluminescence"),
  ): Measurement {
    const dir = this.o.folder.dir;
    const a = processAbsorbance(pair.abs, absRefs, join(dir, `Abs${pair.index}.csv`));
    const p = processPhotoluminescence(pair.pl, plRefs, join(dir, `PL${pair.index}.csv`));
    const problem = this.o.problem ?? PAPER_PROBLEM;
    const outcomes = { abs300: a.abs300, pla: p.pla, peak446: p.peak446 };
    return {
      condition: { ...c },
      setPoints: setPointsOf(problem, c),
      outcomes,
      objective: objectiveOf(problem, outcomes, c),
      startedAt,
      finishedAt,
      meta: { lab: this.name, frRow: pair.index, files: [`Abs${pair.index}.csv`, `PL${pair.index}.csv`] },
    };
  }

  /**
   * Append the condition to FR.csv (or, after a crash, find the row this experiment
   * already wrote and nobody measured yet), wait for its spectra and process them.
   */
  async run(c: Condition, signal?: AbortSignal): Promise<Measurement> {
    const clock = this.o.folder.clock;
    const start = clock.now();
    const rows = this.rows();
    const values = [...INPUT_NAMES.map((n) => c[n]), (this.o.pfoFactor ?? 0.5) * (c.CuI + c.ZnI2 + c.CsOA + c.ODE), this.o.residenceTimes ?? 2, 0];
    const last = rows.length;
    let k: number;
    if (last > 0 && !this.consumed.has(last) && INPUT_NAMES.every((n, i) => Math.abs(rows[last - 1][i] - c[n]) < 1e-3)) {
      k = last;
      this.o.log?.record({
        t_s: start,
        device: "folder",
        kind: "event",
        message: `FR.csv row ${k} already holds this condition (written before a restart); waiting for its spectra`,
      });
    } else {
      const text = existsSync(this.frFile) ? readFileSync(this.frFile, "utf8") : "";
      const line = values.map(fmt).join(",") + "\n";
      this.o.log?.record({ t_s: start, device: "folder", kind: "command", message: `append FR.csv row ${last + 1}: ${line.trim()}` });
      appendFileSync(this.frFile, (text !== "" && !text.endsWith("\n") ? "\n" : "") + line);
      k = last + 1;
    }
    if (this.rows().length !== k)
      throw new DataError(
        { file: this.frFile },
        `expected ${k} rows after appending, found ${this.rows().length}`,
        "only sdfl should append to FR.csv while a campaign runs",
      );
    const pair = await this.o.folder.waitForPair({ index: k, signal });
    this.consumed.add(k);
    this.o.log?.record({
      t_s: clock.now(),
      device: "folder",
      kind: "reading",
      message: `FR.csv row ${k} measured (Abs${k}.csv, PL${k}.csv)`,
      data: { row: k },
    });
    return this.measurement(c, pair, start, clock.now());
  }

  async close(): Promise<void> {}
}
