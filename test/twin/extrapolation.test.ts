import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.js";
import {
  extrapolationSq,
  extrapolationSqGradient,
  extrapolationSqs,
  fitExtrapolationFactor,
  trainingRange,
  type ExtrapolationResidual,
} from "../../src/twin/extrapolation.js";

const d = 3;
/** Network inputs are O(1): values on a 1e-4 grid. */
const value = (max: number) => fc.integer({ min: -max * 1e4, max: max * 1e4 }).map((v) => v / 1e4);
const rowsArb = fc.array(fc.array(value(2), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 30 });
const pointArb = fc.array(value(5), { minLength: d, maxLength: d });

describe("extrapolation distance", () => {
  it("is 0 on and inside the range of the training rows, positive outside, never negative (property)", () => {
    fc.assert(
      fc.property(rowsArb, pointArb, (rows, p) => {
        const range = trainingRange(rows.flat(), rows.length, d);
        // Every training row is inside its own range.
        rows.forEach((_, i) => expect(extrapolationSq(range, rows.flat(), i)).toBe(0));
        const e2 = extrapolationSq(range, p);
        const outside = p.some((v, j) => v < range[j][0] || v > range[j][1]);
        expect(e2).toBeGreaterThanOrEqual(0);
        expect(e2 > 0).toBe(outside);
        expect(extrapolationSqs(range, [...rows.flat(), ...p], rows.length + 1)[rows.length]).toBe(e2);
      }),
    );
  });

  it("its gradient matches central differences away from the range's faces (property)", () => {
    fc.assert(
      fc.property(rowsArb, pointArb, (rows, p) => {
        const range = trainingRange(rows.flat(), rows.length, d);
        const h = 1e-6;
        const g = extrapolationSqGradient(range, p);
        for (let j = 0; j < d; j++) {
          if (range[j].some((b) => Math.abs(p[j] - b) < 1e-4)) continue;
          const up = p.slice();
          up[j] += h;
          const dn = p.slice();
          dn[j] -= h;
          const fd = (extrapolationSq(range, up) - extrapolationSq(range, dn)) / (2 * h);
          // Rounding of e^2 itself limits the difference quotient: about 1e-16 e^2 / h.
          expect(Math.abs(fd - g[j])).toBeLessThan(1e-5 * (1 + Math.abs(fd)) + (1e-14 * extrapolationSq(range, p)) / h);
        }
      }),
    );
  });
});

describe("extrapolation factor", () => {
  /** Residuals drawn from N(0, a base (1 + c e2)): half inside the data (e2 = 0), half outside. */
  const draw = (c: number, n: number, seed: number): ExtrapolationResidual[] => {
    const rng = new Rng(seed);
    return Array.from({ length: n }, (_, i) => {
      const baseVar = 0.01 + rng.uniform() * 0.1;
      const e2 = i % 2 === 0 ? 0 : rng.uniform() * 0.05;
      return { residual: Math.sqrt(3 * baseVar * (1 + c * e2)) * rng.normal(), baseVar, e2 };
    });
  };

  it("maximum likelihood recovers a known factor whatever the level of the residuals", () => {
    expect(fitExtrapolationFactor(draw(200, 4000, 1))).toBeGreaterThan(140);
    expect(fitExtrapolationFactor(draw(200, 4000, 1))).toBeLessThan(280);
    expect(fitExtrapolationFactor(draw(0, 4000, 2))).toBeLessThan(10);
  });

  it("is finite and non-negative for any residuals; 0 without residuals both inside and outside (property)", () => {
    const res = fc.record({
      residual: fc.double({ min: -10, max: 10, noNaN: true }),
      baseVar: fc.double({ min: 1e-6, max: 10, noNaN: true }),
      e2: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
    });
    fc.assert(
      fc.property(fc.array(res, { maxLength: 40 }), (rs) => {
        const c = fitExtrapolationFactor(rs);
        expect(Number.isFinite(c) && c >= 0).toBe(true);
        if (rs.filter((r) => r.e2 > 0).length < 3 || rs.filter((r) => r.e2 === 0).length < 3) expect(c).toBe(0);
      }),
    );
  });
});
