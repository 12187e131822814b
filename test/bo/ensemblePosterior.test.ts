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

  it("relative noise adds relVar mean^2 to the variance and 2 relVar mean dMean to its gradient (finite differences)", () => {
    // Three members, one point, two inputs: v_k(x) = c_k + g_k . x, evaluated at x0 and x0 + h e_j.
    const c = [0.2, 0.5, 0.35];
    const gk = [
      [1, -2],
      [0.5, 0.25],
      [-1, 3],
    ];
    const cal = { scale: 1.5, noiseVar: 0.01, relVar: 0.04 };
    const at = (x: number[]) => Float64Array.from(c.map((ck, k) => ck + gk[k][0] * x[0] + gk[k][1] * x[1]));
    const x0 = [0.1, -0.2];
    const g = ensemblePosteriorGradient(at(x0), Float64Array.from(gk.flat()), 1, 3, 2, cal);
    const p = ensemblePosterior(at(x0), 1, 3, cal);
    expect(g.variance[0]).toBeCloseTo(p.variance[0], 14);
    const raw = ensemblePosterior(at(x0), 1, 3);
    expect(p.variance[0]).toBeCloseTo(1.5 * raw.variance[0] + 0.01 + 0.04 * p.mean[0] ** 2, 14);
    const h = 1e-5;
    for (let j = 0; j < 2; j++) {
      const [up, down] = [h, -h].map((s) => x0.map((v, i) => (i === j ? v + s : v)));
      const fd = (ensemblePosterior(at(up), 1, 3, cal).variance[0] - ensemblePosterior(at(down), 1, 3, cal).variance[0]) / (2 * h);
      expect(g.dVariance[j]).toBeCloseTo(fd, 7);
    }
  });

  it("refuses values of the wrong length", () => {
    expect(() => ensemblePosterior(new Float64Array(5), 2, 3)).toThrow(RangeError);
  });
});
