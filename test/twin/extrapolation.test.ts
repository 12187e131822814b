import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.js";
import {
  extrapolationSq,
  extrapolationSqGradient,
  extrapolationSqs,
  fitExtrapolationFactor,
  gapSq,
  gapSqGradient,
  supportDistanceSqGradient,
  supportDistanceSqs,
  trainingRange,
  trainingValues,
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

describe("gaps between training values", () => {
  it("lists each input's distinct values in increasing order (property)", () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const values = trainingValues(rows.flat(), rows.length, d);
        values.forEach((v, j) => {
          expect(v).toEqual([...new Set(rows.map((r) => r[j]))].sort((a, b) => a - b));
        });
      }),
    );
  });

  it("g^2 is 0 at every training row, equals e^2 outside the range on every input, and is never below e^2 (property)", () => {
    fc.assert(
      fc.property(rowsArb, pointArb, (rows, p) => {
        const z = rows.flat();
        const range = trainingRange(z, rows.length, d);
        const values = trainingValues(z, rows.length, d);
        rows.forEach((_, i) => expect(gapSq(range, values, z, i)).toBe(0));
        const g2 = gapSq(range, values, p);
        const e2 = extrapolationSq(range, p);
        expect(g2).toBeGreaterThanOrEqual(e2 * (1 - 1e-12));
        if (p.every((v, j) => v < range[j][0] || v > range[j][1])) expect(g2).toBeCloseTo(e2, 12);
        // Brute force: the nearest training value along each input.
        const w = range.map(([lo, hi]) => (hi - lo > 1e-9 ? hi - lo : 1));
        const brute = p.reduce((s, v, j) => s + (Math.min(...rows.map((r) => Math.abs(v - r[j]))) / w[j]) ** 2, 0);
        expect(g2).toBeCloseTo(brute, 10);
        expect(supportDistanceSqs({ trainingRange: range, trainingValues: values }, p, 1)![0]).toBe(g2);
        expect(supportDistanceSqs({ trainingRange: range }, p, 1)![0]).toBe(e2);
        expect(supportDistanceSqs(undefined, p, 1)).toBeUndefined();
      }),
    );
  });

  it("the gradient of g^2 matches central differences away from midpoints between training values (property)", () => {
    fc.assert(
      fc.property(rowsArb, pointArb, (rows, p) => {
        const z = rows.flat();
        const range = trainingRange(z, rows.length, d);
        const values = trainingValues(z, rows.length, d);
        const h = 1e-6;
        const g = gapSqGradient(range, values, p);
        expect([...supportDistanceSqGradient({ trainingRange: range, trainingValues: values }, p)]).toEqual([...g]);
        for (let j = 0; j < d; j++) {
          // g^2 has kinks where two training values are equally near.
          const mids = values[j].slice(1).map((v, i) => (v + values[j][i]) / 2);
          if (mids.some((m) => Math.abs(p[j] - m) < 1e-4)) continue;
          const up = p.slice();
          up[j] += h;
          const dn = p.slice();
          dn[j] -= h;
          const fd = (gapSq(range, values, up) - gapSq(range, values, dn)) / (2 * h);
          expect(Math.abs(fd - g[j])).toBeLessThan(1e-5 * (1 + Math.abs(fd)) + (1e-14 * gapSq(range, values, p)) / h);
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
        const e2s = rs.map((r) => r.e2).sort((a, b) => a - b);
        // Without 3 residuals at a distance and 3 nearer ones there is nothing to fit.
        if (e2s.length < 6 || !(e2s[e2s.length - 3] > 0) || !(e2s[2] < e2s[e2s.length - 3])) expect(c).toBe(0);
      }),
    );
  });
});
