import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ensemblePosterior, ensemblePosteriorGradient } from "../../src/bo/ensemble/ensemblePosterior.js";
import { Rng } from "../../src/core/rng.js";

describe("ensemble posterior", () => {
  it("mean and n-1 variance over members; samples are whole members (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 10 }),
        (q, m, seed, count) => {
          const rng = new Rng(seed);
          const values = Float64Array.from({ length: q * m }, () => rng.normal());
          const p = ensemblePosterior(values, q, m);
          for (let i = 0; i < q; i++) {
            const col = Array.from({ length: m }, (_, k) => values[k * q + i]);
            const mu = col.reduce((a, b) => a + b, 0) / m;
            expect(p.mean[i]).toBeCloseTo(mu, 12);
            expect(p.variance[i]).toBeCloseTo(m > 1 ? col.reduce((a, b) => a + (b - mu) ** 2, 0) / (m - 1) : 0, 12);
          }
          const s = p.sample(count, new Rng(seed + 1));
          expect(s.length).toBe(Math.min(count, m));
          const members = Array.from({ length: m }, (_, k) => Array.from(values.slice(k * q, (k + 1) * q)));
          const keys = s.map((v) => JSON.stringify(Array.from(v)));
          for (const k of keys) expect(members.map((x) => JSON.stringify(x))).toContain(k);
          // Members are distinct random draws, so distinct members give distinct samples.
          expect(new Set(keys).size).toBe(keys.length);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("calibrated: variance = scale * member variance + noise; samples are distinct members with the spread scaled (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (q, m, seed, scale, noiseVar) => {
          const rng = new Rng(seed);
          const values = Float64Array.from({ length: q * m }, () => rng.normal());
          const raw = ensemblePosterior(values, q, m);
          const p = ensemblePosterior(values, q, m, { scale, noiseVar });
          const s = p.sample(m, new Rng(1));
          expect(s).toHaveLength(m);
          for (let i = 0; i < q; i++) {
            expect(p.mean[i]).toBe(raw.mean[i]);
            expect(p.variance[i]).toBeCloseTo(scale * raw.variance[i] + noiseVar, 10);
            const col = s.map((v) => v[i]);
            const mu = col.reduce((a, b) => a + b, 0) / m;
            expect(mu).toBeCloseTo(p.mean[i], 10);
            expect(col.reduce((a, b) => a + (b - mu) ** 2, 0) / (m - 1)).toBeCloseTo(p.variance[i] - noiseVar, 8);
          }
          const few = p.sample(Math.max(1, m - 1), new Rng(seed)).map((v) => JSON.stringify(Array.from(v)));
          expect(new Set(few).size).toBe(few.length);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("the gradient version has the same moments and the derivative of the calibrated variance", () => {
    // Two members, one point, one input: v_k(x) = c_k + g_k x at x = 0.
    const values = Float64Array.from([1, 3]);
    const dValues = Float64Array.from([0.5, -1.5]);
    const g = ensemblePosteriorGradient(values, dValues, 1, 2, 1, { scale: 2, noiseVar: 0.25 });
    expect(g.mean[0]).toBe(2);
    expect(g.variance[0]).toBeCloseTo(2 * 2 + 0.25, 14);
    expect(g.dMean[0]).toBeCloseTo(-0.5, 14);
    // var = (v1 - v2)^2 / 2, d var = (v1 - v2)(g1 - g2) = (-2)(2) = -4, times the scale 2.
    expect(g.dVariance[0]).toBeCloseTo(-8, 14);
  });

  it("refuses values of the wrong length", () => {
    expect(() => ensemblePosterior(new Float64Array(5), 2, 3)).toThrow(RangeError);
  });
});
