import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.js";
import { fitVarianceModel, parseCalibration, predictiveStd, RAW_SPREAD } from "../../src/twin/calibration.js";

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
    expect(() => parseCalibration({ ...ok, plqy: { scale: -1, noiseVar: 0 } })).toThrow(/calibration.plqy/);
  });
});
