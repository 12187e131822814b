/**
 * The original processing pipeline (design notes, "From raw spectra to the two optical
 * features"), from raw frames to Abs300, PL area and PL intensity at 446 nm.
 *
 * Faithful to the original in its details: windows are the grid indices nearest to the
 * given wavelengths (inclusive), the reactive-phase frames are those whose mean over the
 * 250-350 nm window is among the 50 lowest (ties included), interpolation uses the
 * nearest grid point i and i+1, and the area is a trapezoid over the 345-700 nm window.
 */
import type { RawAcquisition, SpectrumReferences } from "../protocols.js";
import { SpectrumError } from "./spectrumError.js";

/** Fixed constants of the pipeline, nm and frame counts. */
export const PIPELINE = {
  /** Frames kept as the reactive (droplet) phase. */
  reactiveFrames: 50,
  /** Window whose mean selects the reactive frames, nm. */
  selectWindow_nm: [250, 350] as const,
  /** Absorbance baseline window, nm. */
  absBaseline_nm: [700, 800] as const,
  /** Wavelength of the absorbance feature, nm. */
  absAt_nm: 300,
  /** PL baseline window, nm. */
  plBaseline_nm: [800, 1000] as const,
  /** PL area window, nm. */
  plArea_nm: [345, 700] as const,
  /** PL peak wavelength, nm. */
  plPeak_nm: 446,
  /** The grid must cover this range, nm. */
  requiredRange_nm: [250, 1000] as const,
};

/** Index of the grid point nearest to `x` (first one on ties), as numpy argmin does. */
export function nearestIndex(grid: Float64Array, x: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < grid.length; i++) {
    const d = Math.abs(grid[i] - x);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/** Linear value at x through points i and i+1 (i = nearest index; extrapolates slightly when grid[i] > x). */
export function lineAt(y: ArrayLike<number>, grid: Float64Array, i: number, x: number): number {
  const j = Math.min(i, grid.length - 2);
  return y[j] - ((y[j + 1] - y[j]) / (grid[j + 1] - grid[j])) * (grid[j] - x);
}

/** Mean of y over grid indices [i0, i1] inclusive. */
function windowMean(y: ArrayLike<number>, i0: number, i1: number): number {
  let s = 0;
  for (let i = i0; i <= i1; i++) s += y[i];
  return s / (i1 - i0 + 1);
}

/**
 * Average of the reactive-phase frames: those whose mean over the selection window is
 * <= the 50th lowest such mean. Shape [frames][w] -> [w]; `count` frames were averaged.
 */
export function reactivePhaseAverage(frames: readonly Float64Array[], grid: Float64Array): { average: Float64Array; count: number } {
  const i0 = nearestIndex(grid, PIPELINE.selectWindow_nm[0]);
  const i1 = nearestIndex(grid, PIPELINE.selectWindow_nm[1]);
  const means = frames.map((f) => windowMean(f, i0, i1));
  const cutoff = [...means].sort((a, b) => a - b)[PIPELINE.reactiveFrames - 1];
  const w = grid.length;
  const avg = new Float64Array(w);
  let count = 0;
  for (let k = 0; k < frames.length; k++) {
    if (means[k] > cutoff) continue;
    const f = frames[k];
    for (let i = 0; i < w; i++) avg[i] += f[i];
    count++;
  }
  for (let i = 0; i < w; i++) avg[i] /= count;
  return { average: avg, count };
}

/** Absorbance spectrum (baseline-corrected) and its value at 300 nm. */
export interface AbsorbanceResult {
  /** A(lambda) after subtracting the 700-800 nm mean. Shape [w]. */
  absorbance: Float64Array;
  abs300: number;
  /** Number of frames averaged as the reactive phase. */
  framesUsed: number;
}

/**
 * Absorbance: average the reactive frames, A = -log10((I - dark) / (light - dark)),
 * subtract the mean of A over 700-800 nm, interpolate at 300 nm.
 * Throws {@link SpectrumError} on malformed input.
 */
export function processAbsorbance(acq: RawAcquisition, refs: SpectrumReferences, source = "absorbance acquisition"): AbsorbanceResult {
  validateAcquisition(acq, refs, source, true);
  const grid = acq.wavelengths_nm;
  const { average: avg, count } = reactivePhaseAverage(acq.frames, grid);
  const dark = refs.dark_counts;
  const light = refs.light_counts!;
  const a = new Float64Array(grid.length);
  for (let i = 0; i < grid.length; i++) a[i] = -Math.log10((avg[i] - dark[i]) / (light[i] - dark[i]));
  const b0 = nearestIndex(grid, PIPELINE.absBaseline_nm[0]);
  const b1 = nearestIndex(grid, PIPELINE.absBaseline_nm[1]);
  const base = windowMean(a, b0, b1);
  for (let i = 0; i < a.length; i++) a[i] -= base;
  const abs300 = lineAt(a, grid, nearestIndex(grid, PIPELINE.absAt_nm), PIPELINE.absAt_nm);
  if (!Number.isFinite(abs300)) {
    throw new SpectrumError(
      source,
      "absorbance at 300 nm is not finite (sample counts at or below the dark level, or light reference at the dark level)",
      "check the dark and light references and that the lamp was on",
    );
  }
  return { absorbance: a, abs300, framesUsed: count };
}

/** PL spectrum (dark- and baseline-corrected) and its two features. */
export interface PhotoluminescenceResult {
  /** PL counts after dark and 800-1000 nm baseline subtraction. Shape [w]. */
  spectrum: Float64Array;
  /** Trapezoid area over 345-700 nm, counts x nm. */
  pla: number;
  /** Value at 446 nm, counts. */
  peak446: number;
  framesUsed: number;
}

/**
 * PL: average the reactive frames, subtract the dark spectrum, subtract the mean over
 * 800-1000 nm, integrate 345-700 nm (trapezoid) and read the value at 446 nm.
 */
export function processPhotoluminescence(acq: RawAcquisition, refs: SpectrumReferences, source = "PL acquisition"): PhotoluminescenceResult {
  validateAcquisition(acq, refs, source, false);
  const grid = acq.wavelengths_nm;
  const { average: avg, count } = reactivePhaseAverage(acq.frames, grid);
  const dark = refs.dark_counts;
  const s = new Float64Array(grid.length);
  for (let i = 0; i < grid.length; i++) s[i] = avg[i] - dark[i];
  const b0 = nearestIndex(grid, PIPELINE.plBaseline_nm[0]);
  const b1 = nearestIndex(grid, PIPELINE.plBaseline_nm[1]);
  const base = windowMean(s, b0, b1);
  for (let i = 0; i < s.length; i++) s[i] -= base;
  const peak446 = lineAt(s, grid, nearestIndex(grid, PIPELINE.plPeak_nm), PIPELINE.plPeak_nm);
  const pla = trapezoid(s, grid, nearestIndex(grid, PIPELINE.plArea_nm[0]), nearestIndex(grid, PIPELINE.plArea_nm[1]));
  return { spectrum: s, pla, peak446, framesUsed: count };
}

/** Trapezoid integral of y over grid indices [i0, i1]. */
export function trapezoid(y: ArrayLike<number>, grid: Float64Array, i0: number, i1: number): number {
  let area = 0;
  for (let i = i0; i < i1; i++) area += 0.5 * (y[i] + y[i + 1]) * (grid[i + 1] - grid[i]);
  return area;
}

/**
 * Check shapes, finiteness, frame count and grid coverage; throws a {@link SpectrumError}
 * that says what is wrong and what the pipeline needs.
 */
function validateAcquisition(acq: RawAcquisition, refs: SpectrumReferences, source: string, needLight: boolean): void {
  const grid = acq.wavelengths_nm;
  const w = grid.length;
  if (w < 2) throw new SpectrumError(source, `wavelength grid has ${w} points`, "give one wavelength per detector pixel");
  for (let i = 0; i < w; i++) {
    if (!Number.isFinite(grid[i])) throw new SpectrumError(source, `wavelength ${i + 1} is not a finite number`);
    if (i > 0 && !(grid[i] > grid[i - 1]))
      throw new SpectrumError(source, `wavelengths must increase strictly (row ${i + 1}: ${grid[i]} nm after ${grid[i - 1]} nm)`);
  }
  const [lo, hi] = PIPELINE.requiredRange_nm;
  if (grid[0] > lo || grid[w - 1] < hi) {
    throw new SpectrumError(
      source,
      `wavelength grid ${grid[0]} to ${grid[w - 1]} nm does not cover ${lo} to ${hi} nm`,
      "the pipeline reads 250-350 nm (phase selection) and up to 1000 nm (PL baseline); use the full spectrometer range",
    );
  }
  if (acq.frames.length < PIPELINE.reactiveFrames) {
    throw new SpectrumError(
      source,
      `${acq.frames.length} frames; the pipeline needs at least ${PIPELINE.reactiveFrames}`,
      "acquire more frames (one column per frame)",
    );
  }
  acq.frames.forEach((f, k) => checkVector(f, w, source, `frame ${k + 1}`));
  checkVector(refs.dark_counts, w, source, "dark reference");
  if (needLight) {
    if (!refs.light_counts) throw new SpectrumError(source, "no light reference", "record a light reference (LR.csv) with carrier only and the lamp on");
    checkVector(refs.light_counts, w, source, "light reference");
  }
}

function checkVector(v: Float64Array, w: number, source: string, what: string): void {
  if (v.length !== w)
    throw new SpectrumError(source, `${what} has ${v.length} values but the wavelength grid has ${w}`, "every spectrum needs one value per wavelength");
  for (let i = 0; i < w; i++) if (!Number.isFinite(v[i])) throw new SpectrumError(source, `${what} has a non-finite value (${v[i]}) at row ${i + 1}`);
}
