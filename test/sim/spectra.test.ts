import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SpectraSynthesizer } from "../../src/sim/spectra/synth.js";
import { DEFAULT_SPECTRA_PARAMS } from "../../src/sim/spectra/instrument.js";
import { processAbsorbance, processPhotoluminescence, reactivePhaseAverage } from "../../src/hil/spectra/pipeline.js";
import { SpectrumError } from "../../src/hil/spectra/spectrumError.js";
import { readSpectraFolder, writeSpectraFolder } from "../../src/hil/spectra/folder.js";
import { naturalCompare } from "../../src/hil/spectra/naturalSort.js";
import { Rng } from "../../src/core/rng.js";
import { DataError } from "../../src/core/errors.js";
import type { RawAcquisition } from "../../src/hil/protocols.js";

const synth = new SpectraSynthesizer(DEFAULT_SPECTRA_PARAMS);
const refs = synth.references();
const cell = { totalFlow_uL_min: 720, dropletFraction: 2 / 3 };

describe("raw spectra round trip", () => {
  it("features -> spectra -> original pipeline recovers Abs300, PLA and the PL peak within 1 % without noise (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 2.5, noNaN: true }),
        fc.double({ min: 1e3, max: 6e5, noNaN: true }),
        fc.double({ min: 0.9, max: 1.1, noNaN: true }),
        fc.double({ min: 600, max: 900, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (abs300, pla, peakFactor, flow, phase) => {
          const c = { totalFlow_uL_min: flow, dropletFraction: 2 / 3, phase };
          const peak446 = synth.peakForArea(pla) * peakFactor;
          const a = processAbsorbance(synth.absorbance({ abs300, pla }, c), refs.abs);
          const p = processPhotoluminescence(synth.photoluminescence({ abs300, pla, peak446 }, c), refs.pl);
          expect(Math.abs(a.abs300 / abs300 - 1)).toBeLessThan(0.01);
          expect(Math.abs(p.pla / pla - 1)).toBeLessThan(0.01);
          expect(Math.abs(p.peak446 / peak446 - 1)).toBeLessThan(0.01);
          expect(a.framesUsed).toBeGreaterThanOrEqual(50);
          // In fact the synthesis is exact up to rounding:
          expect(Math.abs(a.abs300 / abs300 - 1)).toBeLessThan(1e-9);
          expect(Math.abs(p.pla / pla - 1)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("lamp drift and dark drift are removed by the baselines up to a few percent (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 1.5, noNaN: true }),
        fc.double({ min: 1e4, max: 4e5, noNaN: true }),
        fc.double({ min: 0.97, max: 1.03, noNaN: true }),
        fc.double({ min: -30, max: 30, noNaN: true }),
        (abs300, pla, lampFactor, darkOffset_counts) => {
          const c = { ...cell, lampFactor, darkOffset_counts };
          const a = processAbsorbance(synth.absorbance({ abs300, pla }, c), refs.abs);
          const p = processPhotoluminescence(synth.photoluminescence({ abs300, pla }, c), refs.pl);
          expect(Math.abs(a.abs300 / abs300 - 1)).toBeLessThan(0.03);
          expect(Math.abs(p.pla / pla - 1)).toBeLessThan(1e-6);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("with read noise the features stay within a few percent", () => {
    const rng = new Rng(7);
    const c = { ...cell, readNoise_counts: 3, rng };
    const a = processAbsorbance(synth.absorbance({ abs300: 0.6, pla: 1e5 }, c), refs.abs);
    const p = processPhotoluminescence(synth.photoluminescence({ abs300: 0.6, pla: 1e5 }, c), refs.pl);
    expect(Math.abs(a.abs300 / 0.6 - 1)).toBeLessThan(0.02);
    expect(Math.abs(p.pla / 1e5 - 1)).toBeLessThan(0.02);
  });
});

describe("reactive-phase selection", () => {
  it("keeps the 50 frames with the lowest 250-350 nm mean, ties included, as the original does", () => {
    const grid = synth.grid;
    const frame = (level: number) => new Float64Array(grid.length).fill(level);
    const frames = [
      ...Array.from({ length: 40 }, () => frame(5)),
      ...Array.from({ length: 20 }, () => frame(7)),
      ...Array.from({ length: 30 }, () => frame(9)),
    ];
    const r = reactivePhaseAverage(frames, grid);
    expect(r.count).toBe(60);
    expect(r.average[0]).toBeCloseTo((40 * 5 + 20 * 7) / 60, 12);
    const distinct = Array.from({ length: 80 }, (_, k) => frame(k));
    expect(reactivePhaseAverage(distinct, grid).count).toBe(50);
    expect(reactivePhaseAverage(distinct, grid).average[3]).toBeCloseTo(24.5, 12);
  });
});

describe("malformed spectra", () => {
  const good = (): RawAcquisition => synth.absorbance({ abs300: 0.5, pla: 1e5 }, cell);
  it("fewer than 50 frames", () => {
    const acq = good();
    acq.frames = acq.frames.slice(0, 49);
    expect(() => processAbsorbance(acq, refs.abs)).toThrow(SpectrumError);
    expect(() => processAbsorbance(acq, refs.abs)).toThrow(/49 frames; the pipeline needs at least 50/);
  });
  it("NaN in a frame", () => {
    const acq = good();
    acq.frames[3][10] = NaN;
    expect(() => processAbsorbance(acq, refs.abs)).toThrow(/frame 4 has a non-finite value \(NaN\) at row 11/);
  });
  it("frame length differs from the grid", () => {
    const acq = good();
    acq.frames[0] = acq.frames[0].subarray(1);
    expect(() => processAbsorbance(acq, refs.abs)).toThrow(/frame 1 has 1023 values but the wavelength grid has 1024/);
  });
  it("grid not covering 250 to 1000 nm", () => {
    const acq = good();
    const keep = acq.wavelengths_nm.findIndex((l) => l > 960);
    const cut = { ...acq, wavelengths_nm: acq.wavelengths_nm.subarray(0, keep), frames: acq.frames.map((f) => f.subarray(0, keep)) };
    const r = { dark_counts: refs.abs.dark_counts.subarray(0, keep), light_counts: refs.abs.light_counts!.subarray(0, keep) };
    expect(() => processAbsorbance(cut, r)).toThrow(/does not cover 250 to 1000 nm/);
  });
  it("missing light reference and non-increasing grid", () => {
    expect(() => processAbsorbance(good(), { dark_counts: refs.abs.dark_counts })).toThrow(/no light reference/);
    const acq = good();
    const g = Float64Array.from(acq.wavelengths_nm);
    g[5] = g[4];
    expect(() => processAbsorbance({ ...acq, wavelengths_nm: g }, refs.abs)).toThrow(/increase strictly/);
  });
});

describe("spectra folder protocol", () => {
  it("natural sort puts Abs2 before Abs10", () => {
    expect(["Abs10.csv", "Abs2.csv", "Abs1.csv", "DR_Abs.csv"].sort(naturalCompare)).toEqual(["Abs1.csv", "Abs2.csv", "Abs10.csv", "DR_Abs.csv"]);
  });

  it("write then read gives the same spectra and the same features", () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-spectra-"));
    const exps = [1, 2, 10].map((index) => ({
      index,
      abs: synth.absorbance({ abs300: 0.3 * index, pla: 2e4 * index }, cell),
      pl: synth.photoluminescence({ abs300: 0.3 * index, pla: 2e4 * index }, cell),
      condition: { T: 150, CuI: 100, ZnI2: 90, CsOA: 40, ODE: 250 },
      pfo_uL_min: 240,
    }));
    writeSpectraFolder(dir, refs, exps);
    const folder = readSpectraFolder(dir);
    expect(folder.experiments.map((e) => e.index)).toEqual([1, 2, 10]);
    expect(folder.conditions[0].condition.CuI).toBe(100);
    expect(folder.conditions[0].pfo_uL_min).toBe(240);
    folder.experiments.forEach((e, k) => {
      const a = processAbsorbance(e.abs!, folder.absRefs);
      const p = processPhotoluminescence(e.pl!, folder.plRefs);
      expect(a.abs300).toBeCloseTo(0.3 * exps[k].index, 3);
      expect(p.pla / (2e4 * exps[k].index)).toBeCloseTo(1, 4);
    });
  });

  it("a missing reference file is a DataError naming it; references are found by prefix as in the original", () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-spectra-missing-"));
    const e = { index: 1, abs: synth.absorbance({ abs300: 0.5, pla: 1e5 }, cell), pl: synth.photoluminescence({ abs300: 0.5, pla: 1e5 }, cell) };
    writeSpectraFolder(dir, { abs: { dark_counts: refs.abs.dark_counts }, pl: refs.pl }, [e]);
    expect(() => readSpectraFolder(dir)).toThrow(/LR\*\.csv: required file missing/);
    writeFileSync(join(dir, "LR_lamp_on.csv"), Array.from(refs.abs.light_counts!).join("\n"));
    expect(processAbsorbance(readSpectraFolder(dir).experiments[0].abs!, readSpectraFolder(dir).absRefs).abs300).toBeCloseTo(0.5, 3);
  });

  it("a bad cell names file, line and column", () => {
    const dir = mkdtempSync(join(tmpdir(), "sdfl-spectra-bad-"));
    writeSpectraFolder(dir, refs, []);
    writeFileSync(join(dir, "Wavelength_Abs.csv"), "250\nabc\n");
    expect(() => readSpectraFolder(dir)).toThrow(DataError);
    expect(() => readSpectraFolder(dir)).toThrow(/Wavelength_Abs.csv:2:1: "abc" is not a finite number/);
  });
});
