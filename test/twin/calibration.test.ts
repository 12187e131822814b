import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.js";
import { fitCalibratedModel, fitVarianceModel, parseCalibration, predictiveStd, predictiveVariance, RAW_SPREAD } from "../../src/twin/calibration.js";

/** n residuals r ~ N(0, a v + b) with member variances v spread over two decades. */
function synthetic(n: number, a: number, b: number, seed: number) {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const v = 1e-4 * Math.pow(10, 2 * rng.uniform());
    return { residual: Math.sqrt(a * v + b) * rng.normal(), memberVar: v, extraVar: 0 };
  });
}

describe("predictive variance model", () => {
  it("maximum likelihood recovers a known scale and noise variance", () => {
    const m = fitVarianceModel(synthetic(1500, 3, 2e-3, 1));
    expect(m.scale).toBeGreaterThan(3 * 0.8);
    expect(m.scale).toBeLessThan(3 * 1.25);
    expect(m.noiseVar).toBeGreaterThan(2e-3 * 0.8);
    expect(m.noiseVar).toBeLessThan(2e-3 * 1.25);
  });

  it("relative noise (error proportional to the prediction) is recognised and recovered", () => {
    const rng = new Rng(7);
    const res = Array.from({ length: 1500 }, () => {
      const v = 1e-5 * Math.pow(10, rng.uniform());
      const mean = 0.01 + 0.3 * rng.uniform();
      return { residual: Math.sqrt(2 * v + 0.0025 * mean * mean) * rng.normal(), memberVar: v, extraVar: 0, mean };
    });
    const m = fitVarianceModel(res);
    expect(m.noiseVar).toBe(0);
    expect(m.relVar!).toBeGreaterThan(0.0025 * 0.8);
    expect(m.relVar!).toBeLessThan(0.0025 * 1.25);
    expect(m.scale).toBeGreaterThan(2 * 0.6);
    expect(m.scale).toBeLessThan(2 * 1.6);
    // Constant noise stays constant even when means are known.
    const constant = synthetic(1500, 3, 2e-3, 1).map((r, i) => ({ ...r, mean: 0.1 + (i % 7) / 10 }));
    expect(fitVarianceModel(constant).relVar).toBeUndefined();
  });

  it("the calibrated model holds 68 % of its residuals within 1 predictive std (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 0.5, max: 3, noNaN: true }), (seed, tail) => {
        const rng = new Rng(seed);
        // Heavy-tailed residuals: a Gaussian scaled by a random factor.
        const res = Array.from({ length: 200 }, () => {
          const v = 1e-4 * Math.pow(10, rng.uniform());
          const mean = 0.05 + rng.uniform();
          return { residual: Math.sqrt(v + 1e-3 * mean * mean) * rng.normal() * Math.exp(tail * (rng.uniform() - 0.5)), memberVar: v, extraVar: 0, mean };
        });
        const m = fitCalibratedModel(res);
        const within = res.filter((r) => Math.abs(r.residual) <= Math.sqrt(predictiveVariance(r.memberVar, m, r.mean))).length / res.length;
        expect(within).toBeGreaterThanOrEqual(0.68);
        expect(within).toBeLessThanOrEqual(0.69);
      }),
      { numRuns: 20 },
    );
  });

  it("a known extra variance is not attributed to the model", () => {
    const res = synthetic(1500, 2, 1e-3, 2).map((r) => ({
      ...r,
      residual: r.residual * Math.sqrt(1 + r.memberVar / (2 * r.memberVar + 1e-3)),
      extraVar: r.memberVar,
    }));
    const m = fitVarianceModel(res);
    expect(m.scale).toBeGreaterThan(2 * 0.75);
    expect(m.scale).toBeLessThan(2 * 1.33);
  });

  it("is finite and non-negative for any residuals; too few residuals give the raw spread (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 30 }), (rows) => {
        const m = fitVarianceModel(rows.map(([r, v]) => ({ residual: r, memberVar: v, extraVar: 0 })));
        expect(Number.isFinite(m.scale) && m.scale >= 0).toBe(true);
        expect(Number.isFinite(m.noiseVar) && m.noiseVar >= 0).toBe(true);
        if (rows.length < 3) expect(m).toEqual(RAW_SPREAD);
      }),
      { numRuns: 60 },
    );
  });

  it("predictive std = sqrt(scale std^2 + noiseVar); stored models are checked", () => {
    expect(predictiveStd(0.02, { scale: 4, noiseVar: 3e-4 })).toBeCloseTo(Math.sqrt(4 * 4e-4 + 3e-4), 15);
    expect(predictiveStd(0.02)).toBe(0.02);
    expect(parseCalibration(undefined)).toBeUndefined();
    const ok = { method: "out-of-bag", rows: 60, abs: RAW_SPREAD, pla: RAW_SPREAD, plqy: { scale: 2, noiseVar: 1e-4 } };
    expect(parseCalibration(ok)).toEqual(ok);
    expect(predictiveStd(0.02, { scale: 4, noiseVar: 0, relVar: 0.01 }, 0.2)).toBeCloseTo(Math.sqrt(4 * 4e-4 + 0.01 * 0.04), 15);
    const rel = { ...ok, plqy: { scale: 2, noiseVar: 0, relVar: 0.003 } };
    expect(parseCalibration(rel)).toEqual(rel);
    expect(() => parseCalibration({ ...ok, plqy: { scale: 1, noiseVar: 0, relVar: -1 } })).toThrow(/relVar/);
    expect(() => parseCalibration({ ...ok, plqy: { scale: -1, noiseVar: 0 } })).toThrow(/calibration.plqy/);
  });

  it("with an extrapolation factor the variance is the model's times (1 + c e^2): never negative, unchanged inside the data (property)", () => {
    const model = fc.record({
      scale: fc.double({ min: 0, max: 100, noNaN: true }),
      noiseVar: fc.double({ min: 0, max: 1, noNaN: true }),
      relVar: fc.double({ min: 0, max: 1, noNaN: true }),
      extrapolation: fc.double({ min: 0, max: 1e4, noNaN: true }),
    });
    fc.assert(
      fc.property(
        model,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        (m, v, mean, e2) => {
          const base = predictiveVariance(v, { ...m, extrapolation: 0 }, mean);
          const grown = predictiveVariance(v, m, mean, e2);
          expect(grown).toBeGreaterThanOrEqual(0);
          expect(predictiveVariance(v, m, mean, 0)).toBe(base);
          expect(grown).toBeGreaterThanOrEqual(base);
          expect(grown).toBeCloseTo(base * (1 + m.extrapolation * e2), 6);
        },
      ),
    );
  });

  it("a stored extrapolation factor and training range round-trip; bad ones are refused", () => {
    const ok = {
      method: "out-of-bag + extrapolation (edge slabs)",
      rows: 50,
      abs: { ...RAW_SPREAD, extrapolation: 3 },
      pla: RAW_SPREAD,
      plqy: { scale: 2, noiseVar: 0, relVar: 0.01, extrapolation: 25 },
      trainingRange: [
        [0.1, 0.9],
        [0, 1],
      ] as [number, number][],
    };
    expect(parseCalibration(JSON.parse(JSON.stringify(ok)))).toEqual(ok);
    expect(() => parseCalibration({ ...ok, plqy: { scale: 1, noiseVar: 0, extrapolation: -1 } })).toThrow(/extrapolation/);
    expect(() => parseCalibration({ ...ok, trainingRange: [[1, 0]] })).toThrow(/trainingRange/);
    expect(() => parseCalibration({ ...ok, trainingRange: "x" })).toThrow(/trainingRange/);
    const gaps = {
      ...ok,
      trainingValues: [
        [0.1, 0.5, 0.9],
        [0, 1],
      ],
    };
    expect(parseCalibration(JSON.parse(JSON.stringify(gaps)))).toEqual(gaps);
    for (const bad of [
      [[0.1, 0.5, 0.9]],
      [
        [0.5, 0.1],
        [0, 1],
      ],
      [[], [0, 1]],
      [
        [0.1, "x"],
        [0, 1],
      ],
      [
        [0.1, 0.1],
        [0, 1],
      ],
    ])
      expect(() => parseCalibration({ ...gaps, trainingValues: bad })).toThrow(/trainingValues/);
    const { trainingRange: _r, ...noRange } = gaps;
    expect(() => parseCalibration(noRange)).toThrow(/trainingValues needs, beside trainingRange/);
  });
});
