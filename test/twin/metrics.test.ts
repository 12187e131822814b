import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { calibration, rSquared } from "../../src/twin/metrics.js";

describe("accuracy metrics", () => {
  it("R^2 matches a hand computation", () => {
    // y = 1,2,3,4 (mean 2.5, SS_tot 5); yhat = 1,2,3,5 (SS_res 1) -> 0.8
    expect(rSquared([1, 2, 3, 4], [1, 2, 3, 5])).toBeCloseTo(0.8, 15);
    // predicting the mean gives 0, perfect gives 1
    expect(rSquared([1, 2, 3, 4], [2.5, 2.5, 2.5, 2.5])).toBeCloseTo(0, 15);
    expect(rSquared([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(rSquared([2, 2], [1, 3])).toBeNaN();
  });
  it("R^2 is at most 1 and invariant to a common affine change of units (property)", () => {
    const arr = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 3, maxLength: 20 });
    fc.assert(
      fc.property(arr, arr, fc.double({ min: 0.1, max: 10, noNaN: true }), (y, e, a) => {
        const n = Math.min(y.length, e.length);
        const yy = y.slice(0, n),
          yh = yy.map((v, i) => v + e[i]);
        const r = rSquared(yy, yh);
        const spread = Math.max(...yy) - Math.min(...yy);
        fc.pre(Number.isFinite(r) && spread > 1);
        expect(r).toBeLessThanOrEqual(1 + 1e-12);
        const r2 = rSquared(
          yy.map((v) => a * v + 3),
          yh.map((v) => a * v + 3),
        );
        expect(Math.abs(r2 - r)).toBeLessThan(1e-8 * Math.max(1, Math.abs(r)));
      }),
    );
  });
  it("calibration counts points within 1 and 2 std and averages the Gaussian NLL", () => {
    const c = calibration([0, 1.5, 3, 0.5], [0, 0, 0, 0], [1, 1, 1, 1]);
    expect(c.within1Std).toBe(0.5); // 0 and 0.5
    expect(c.within2Std).toBe(0.75); // plus 1.5
    const nll = [0, 1.5, 3, 0.5].reduce((s, y) => s + 0.5 * Math.log(2 * Math.PI) + 0.5 * y * y, 0) / 4;
    expect(c.nll).toBeCloseTo(nll, 12);
  });
});
