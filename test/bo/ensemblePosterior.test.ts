import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ensemblePosterior } from "../../src/bo/ensemble/ensemblePosterior.js";
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

  it("refuses values of the wrong length", () => {
    expect(() => ensemblePosterior(new Float64Array(5), 2, 3)).toThrow(RangeError);
  });
});
