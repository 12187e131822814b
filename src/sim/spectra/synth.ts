/**
 * Synthesis of raw acquisitions consistent with given optical features: run through
 * the original pipeline without noise, the frames give back exactly (to rounding) the
 * requested Abs300 and PL area, because the shapes are scaled with the pipeline's own
 * interpolation and integration on the actual grid.
 */
import type { RawAcquisition, SpectrumReferences } from "../../hil/protocols.js";
import type { Rng } from "../../core/rng.js";
import { PIPELINE, lineAt, nearestIndex, trapezoid } from "../../hil/spectra/pipeline.js";
import {
  absorptionShape,
  darkSpectrum,
  dropletOccupancy,
  emissionShape,
  excitationShape,
  lampSpectrum,
  wavelengthGrid,
  type SpectraParams,
} from "./instrument.js";

/** The features an acquisition should show. */
export interface TargetFeatures {
  /** Absorbance at 300 nm (dimensionless). */
  abs300: number;
  /** PL area 345-700 nm, counts x nm. */
  pla: number;
  /**
   * PL intensity at 446 nm, counts. When given, the emission band is widened or narrowed
   * (same area) so the peak matches it (acquisition-to-acquisition changes of the size
   * distribution); otherwise the nominal band shape sets it.
   */
  peak446?: number;
}

/** Detector-level disturbances of one acquisition; the pipeline is built to remove them. */
export interface AcquisitionConditions {
  /** Total flow in the cell, uL/min (sets the droplet period). */
  totalFlow_uL_min: number;
  /** Fraction of a segment taken by the droplet (precursors / total). */
  dropletFraction: number;
  /** Lamp intensity relative to the light reference (1 = no drift). */
  lampFactor?: number;
  /** Dark level shift since the dark reference, counts. */
  darkOffset_counts?: number;
  /** Droplet train phase in [0, 1). */
  phase?: number;
  /** Per-pixel read noise, counts; needs `rng`. */
  readNoise_counts?: number;
  rng?: Rng;
  startedAt_s?: number;
  /** Frames to acquire (default: params.frames). */
  frames?: number;
}

/** A simulated pair of spectrometers sharing one parameter set (grids, lamp, dark pattern). */
export class SpectraSynthesizer {
  readonly grid: Float64Array;
  readonly lamp: Float64Array;
  readonly dark: Float64Array;
  private readonly absShape: Float64Array;
  private readonly absScale: number;
  private readonly emShape: Float64Array;
  private readonly emScale: number;
  private readonly exShape: Float64Array;

  constructor(readonly params: SpectraParams) {
    this.grid = wavelengthGrid(params);
    this.lamp = lampSpectrum(this.grid, params);
    this.dark = darkSpectrum(this.grid, params);
    this.absShape = this.grid.map((l) => absorptionShape(l, params));
    this.emShape = this.grid.map((l) => emissionShape(l, params));
    this.exShape = this.grid.map((l) => excitationShape(l, params));
    // The pipeline's Abs300 of a unit shape (after the 700-800 nm baseline) and its PLA of a unit band.
    const g = this.grid;
    const b0 = nearestIndex(g, PIPELINE.absBaseline_nm[0]);
    const b1 = nearestIndex(g, PIPELINE.absBaseline_nm[1]);
    let base = 0;
    for (let i = b0; i <= b1; i++) base += this.absShape[i];
    base /= b1 - b0 + 1;
    const shifted = this.absShape.map((v) => v - base);
    this.absScale = lineAt(shifted, g, nearestIndex(g, PIPELINE.absAt_nm), PIPELINE.absAt_nm);
    this.emScale = trapezoid(this.emShape, g, nearestIndex(g, PIPELINE.plArea_nm[0]), nearestIndex(g, PIPELINE.plArea_nm[1]));
  }

  /** PL intensity at 446 nm (counts) that goes with a PL area (counts x nm) for this band shape. */
  peakForArea(pla: number): number {
    const g = this.grid;
    return (pla / this.emScale) * lineAt(this.emShape, g, nearestIndex(g, PIPELINE.plPeak_nm), PIPELINE.plPeak_nm);
  }

  /** Dark and light references as the spectrometers would record them (no drift, no noise). */
  references(): { abs: SpectrumReferences; pl: SpectrumReferences } {
    const light = new Float64Array(this.grid.length);
    for (let i = 0; i < light.length; i++) light[i] = this.dark[i] + this.lamp[i];
    return { abs: { dark_counts: Float64Array.from(this.dark), light_counts: light }, pl: { dark_counts: Float64Array.from(this.dark) } };
  }

  /** Raw absorbance frames for the target Abs300. Shape [frames][w]. */
  absorbance(target: TargetFeatures, cond: AcquisitionConditions): RawAcquisition {
    const p = this.params;
    const w = this.grid.length;
    const lampF = cond.lampFactor ?? 1;
    const a = target.abs300 / this.absScale;
    const drop = new Float64Array(w);
    const oil = new Float64Array(w);
    for (let i = 0; i < w; i++) {
      oil[i] = lampF * this.lamp[i];
      drop[i] = oil[i] * Math.pow(10, -(a * this.absShape[i] + p.dropletOffsetAbs));
    }
    return this.frames("absorbance", drop, oil, cond);
  }

  /** Raw PL frames for the target PL area. Shape [frames][w]. */
  photoluminescence(target: TargetFeatures, cond: AcquisitionConditions): RawAcquisition {
    const p = this.params;
    const w = this.grid.length;
    const lampF = cond.lampFactor ?? 1;
    let shape = this.emShape;
    let scale = this.emScale;
    if (target.peak446 !== undefined && target.pla > 0 && target.peak446 > 0) {
      // Area ~ peak x width: widen the band by nominal peak / wanted peak.
      const widen = this.peakForArea(target.pla) / target.peak446;
      const q = { ...p, emissionSigmaBlue_nm: p.emissionSigmaBlue_nm * widen, emissionSigmaRed_nm: p.emissionSigmaRed_nm * widen };
      shape = this.grid.map((l) => emissionShape(l, q));
      scale = trapezoid(shape, this.grid, nearestIndex(this.grid, PIPELINE.plArea_nm[0]), nearestIndex(this.grid, PIPELINE.plArea_nm[1]));
    }
    const e = target.pla / scale;
    const drop = new Float64Array(w);
    const oil = new Float64Array(w);
    for (let i = 0; i < w; i++) {
      oil[i] = lampF * p.scatterOil_counts * this.exShape[i];
      drop[i] = oil[i] * p.scatterDropletRatio + e * shape[i];
    }
    return this.frames("photoluminescence", drop, oil, cond);
  }

  private pool?: Float64Array;

  /**
   * 2^16 standard normal draws made once with the first Rng that asks. Frames read it at
   * a random offset and odd stride, so the per-pixel read noise costs one Rng call per
   * frame instead of one per pixel (about 10x faster); different frames' noise is
   * uncorrelated unless two frames draw the same offset and stride.
   */
  private noisePool(rng: Rng): Float64Array {
    if (!this.pool) {
      this.pool = new Float64Array(1 << 16);
      for (let i = 0; i < this.pool.length; i++) this.pool[i] = rng.normal();
    }
    return this.pool;
  }

  private frames(kind: RawAcquisition["kind"], drop: Float64Array, oil: Float64Array, cond: AcquisitionConditions): RawAcquisition {
    const p = this.params;
    const w = this.grid.length;
    const nFrames = cond.frames ?? p.frames;
    const occ = dropletOccupancy(nFrames, p.frameTime_s, cond.totalFlow_uL_min, cond.dropletFraction, p.segmentVolume_uL, cond.phase ?? 0);
    const offset = cond.darkOffset_counts ?? 0;
    const sigma = cond.readNoise_counts ?? 0;
    const rng = sigma > 0 ? cond.rng : undefined;
    const frames: Float64Array[] = [];
    for (let k = 0; k < nFrames; k++) {
      const f = occ[k];
      const frame = new Float64Array(w);
      for (let i = 0; i < w; i++) frame[i] = this.dark[i] + offset + f * drop[i] + (1 - f) * oil[i];
      if (rng) {
        // Read noise from the pool at a random offset and odd stride: one Rng call per frame.
        const pool = this.noisePool(rng);
        const mask = pool.length - 1;
        let j = rng.int(0, mask);
        const stride = 2 * rng.int(0, mask >> 1) + 1;
        for (let i = 0; i < w; i++) {
          frame[i] += sigma * pool[j];
          j = (j + stride) & mask;
        }
      }
      frames.push(frame);
    }
    return { kind, wavelengths_nm: Float64Array.from(this.grid), frames, startedAt_s: cond.startedAt_s ?? 0, frameTime_s: p.frameTime_s };
  }
}
