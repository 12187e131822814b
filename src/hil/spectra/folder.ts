/**
 * The original lab's spectra folder protocol:
 *   Abs<N>.csv, PL<N>.csv   first row ignored (frame numbers), one row per wavelength, one column per frame
 *   Wavelength_Abs.csv, Wavelength_PL.csv   one wavelength (nm) per row
 *   DR_Abs.csv, DR_PL.csv   dark references, one value per row
 *   LR.csv                  light reference (absorbance), one value per row
 *   FR.csv                  conditions, one row per experiment, the eight inputs.csv columns, no header
 * Files are natural-sorted (Abs2 before Abs10). No header line anywhere except the ignored first row.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DataError } from "../../core/errors.js";
import type { RawAcquisition, SpectrumReferences } from "../protocols.js";
import { INPUT_NAMES, type Condition } from "../../twin/space.js";
import { naturalCompare } from "./naturalSort.js";
import { SpectrumError } from "./spectrumError.js";

/** One experiment's raw spectra. */
export interface FolderExperiment {
  /** The number N of Abs<N>.csv / PL<N>.csv. */
  index: number;
  abs?: RawAcquisition;
  pl?: RawAcquisition;
}

/** Everything a spectra folder holds. */
export interface SpectraFolder {
  absWavelengths_nm: Float64Array;
  plWavelengths_nm: Float64Array;
  absRefs: SpectrumReferences;
  plRefs: SpectrumReferences;
  experiments: FolderExperiment[];
  /** FR.csv rows (conditions and PFO), when present. */
  conditions: { condition: Condition; pfo_uL_min: number; residenceTimes: number; washing: number }[];
}

/** What {@link writeSpectraFolder} needs for one experiment. */
export interface ExperimentToWrite {
  index: number;
  abs: RawAcquisition;
  pl: RawAcquisition;
  condition?: Condition;
  pfo_uL_min?: number;
}

const fmt = (v: number): string => String(Math.round(v * 1e4) / 1e4);

/** Write references, wavelength files, spectra files and (if conditions are given) FR.csv into `dir`. */
export function writeSpectraFolder(
  dir: string,
  refs: { abs: SpectrumReferences; pl: SpectrumReferences },
  experiments: readonly ExperimentToWrite[],
): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const put = (name: string, text: string): void => {
    writeFileSync(join(dir, name), text);
    written.push(name);
  };
  const column = (v: Float64Array): string => Array.from(v, fmt).join("\n") + "\n";
  if (experiments.length > 0) {
    put("Wavelength_Abs.csv", column(experiments[0].abs.wavelengths_nm));
    put("Wavelength_PL.csv", column(experiments[0].pl.wavelengths_nm));
  }
  put("DR_Abs.csv", column(refs.abs.dark_counts));
  put("DR_PL.csv", column(refs.pl.dark_counts));
  if (refs.abs.light_counts) put("LR.csv", column(refs.abs.light_counts));
  for (const e of experiments) {
    put(`Abs${e.index}.csv`, matrixText(e.abs));
    put(`PL${e.index}.csv`, matrixText(e.pl));
  }
  const fr = experiments.filter((e) => e.condition);
  if (fr.length > 0) {
    put("FR.csv", fr.map((e) => [...INPUT_NAMES.map((n) => e.condition![n]), e.pfo_uL_min ?? 0, 2, 0].map(fmt).join(",")).join("\n") + "\n");
  }
  return written;
}

/** The text of an Abs<N>.csv / PL<N>.csv file: a frame-number row, then one row per wavelength. */
export function matrixText(acq: RawAcquisition): string {
  const f = acq.frames.length;
  const lines = [Array.from({ length: f }, (_, k) => String(k + 1)).join(",")];
  const row = new Array<string>(f);
  for (let i = 0; i < acq.wavelengths_nm.length; i++) {
    for (let k = 0; k < f; k++) row[k] = fmt(acq.frames[k][i]);
    lines.push(row.join(","));
  }
  return lines.join("\n") + "\n";
}

/** Parse a numeric CSV with no header into rows of numbers; errors name file, line and column. */
function readMatrix(file: string, skipFirstRow: boolean): number[][] {
  const lines = readFileSync(file, "utf8")
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\n|\r/);
  const rows: number[][] = [];
  let first = true;
  for (let li = 0; li < lines.length; li++) {
    const raw = lines[li];
    if (raw.trim() === "") continue;
    if (first && skipFirstRow) {
      first = false;
      continue;
    }
    first = false;
    const cells = raw.split(",");
    const row = new Array<number>(cells.length);
    for (let c = 0; c < cells.length; c++) {
      const t = cells[c].trim();
      const v = t === "" ? NaN : Number(t);
      if (!Number.isFinite(v)) {
        throw new DataError(
          { file, line: li + 1, column: c + 1 },
          `"${t}" is not a finite number`,
          "spectra files hold detector counts only (first row of Abs/PL files is ignored)",
        );
      }
      row[c] = v;
    }
    rows.push(row);
  }
  if (rows.length === 0) throw new DataError({ file }, "the file has no data rows");
  return rows;
}

/** Read a one-value-per-row file (wavelengths, dark or light reference). */
export function readColumn(file: string): Float64Array {
  const rows = readMatrix(file, false);
  rows.forEach((r, i) => {
    if (r.length !== 1) throw new DataError({ file, line: i + 1 }, `expected one value per row, got ${r.length}`);
  });
  return Float64Array.from(rows, (r) => r[0]);
}

/** Read one Abs<N>.csv or PL<N>.csv file on the given wavelength grid (first row ignored, one column per frame). */
export function readAcquisition(file: string, kind: RawAcquisition["kind"], grid: Float64Array): RawAcquisition {
  const rows = readMatrix(file, true);
  if (rows.length !== grid.length) {
    throw new SpectrumError(
      file,
      `${rows.length} wavelength rows but the wavelength file has ${grid.length}`,
      "Abs/PL files need one row per wavelength after the ignored first row",
    );
  }
  const f = rows[0].length;
  rows.forEach((r, i) => {
    if (r.length !== f) throw new SpectrumError(file, `row ${i + 2} has ${r.length} columns, the first data row has ${f} (one column per frame)`);
  });
  const frames = Array.from({ length: f }, (_, k) => Float64Array.from(rows, (r) => r[k]));
  return { kind, wavelengths_nm: grid, frames, startedAt_s: 0, frameTime_s: NaN };
}

/** Read a spectra folder written by the original lab or by {@link writeSpectraFolder}. */
export function readSpectraFolder(dir: string): SpectraFolder {
  if (!existsSync(dir))
    throw new DataError({ file: dir }, "spectra folder not found", "give the folder holding Abs<N>.csv, PL<N>.csv, Wavelength_*.csv, DR_*.csv and LR.csv");
  const files = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith(".csv"))
    .sort(naturalCompare);
  // Like the original reader, reference files are found by prefix (e.g. "Wavelength_Abs_2024.csv").
  const need = (prefix: string): string => {
    const name = files.find((f) => f.startsWith(prefix));
    if (!name)
      throw new DataError(
        { file: join(dir, `${prefix}*.csv`) },
        "required file missing",
        "a spectra folder needs Wavelength_Abs, Wavelength_PL, DR_Abs, DR_PL and LR files (.csv)",
      );
    return join(dir, name);
  };
  const absGrid = readColumn(need("Wavelength_Abs"));
  const plGrid = readColumn(need("Wavelength_PL"));
  const absRefs: SpectrumReferences = { dark_counts: readColumn(need("DR_Abs")), light_counts: readColumn(need("LR")) };
  const plRefs: SpectrumReferences = { dark_counts: readColumn(need("DR_PL")) };
  const byIndex = new Map<number, FolderExperiment>();
  for (const f of files) {
    const m = /^(Abs|PL)(\d+)\.csv$/.exec(f);
    if (!m) continue;
    const index = Number(m[2]);
    const e = byIndex.get(index) ?? { index };
    if (m[1] === "Abs") e.abs = readAcquisition(join(dir, f), "absorbance", absGrid);
    else e.pl = readAcquisition(join(dir, f), "photoluminescence", plGrid);
    byIndex.set(index, e);
  }
  const conditions: SpectraFolder["conditions"] = [];
  const fr = files.find((f) => f.startsWith("FR"));
  if (fr) {
    const file = join(dir, fr);
    readMatrix(file, false).forEach((r, i) => {
      if (r.length < 5) throw new DataError({ file, line: i + 1 }, `expected the eight inputs.csv columns, got ${r.length}`);
      conditions.push({
        condition: { T: r[0], CuI: r[1], ZnI2: r[2], CsOA: r[3], ODE: r[4] },
        pfo_uL_min: r[5] ?? NaN,
        residenceTimes: r[6] ?? NaN,
        washing: r[7] ?? NaN,
      });
    });
  }
  return {
    absWavelengths_nm: absGrid,
    plWavelengths_nm: plGrid,
    absRefs,
    plRefs,
    experiments: [...byIndex.values()].sort((a, b) => a.index - b.index),
    conditions,
  };
}
