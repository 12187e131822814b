import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.js";

describe("Rng", () => {
  it("is deterministic for a seed and differs between seeds (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const a = new Rng(seed),
          b = new Rng(seed),
          c = new Rng(seed + 1);
        const sa = Array.from({ length: 8 }, () => a.uniform());
        const sb = Array.from({ length: 8 }, () => b.uniform());
        const sc = Array.from({ length: 8 }, () => c.uniform());
        expect(sa).toEqual(sb);
        expect(sa).not.toEqual(sc);
        for (const v of sa) expect(v >= 0 && v < 1).toBe(true);
      }),
    );
  });

  it("draws uniforms and normals with the right first two moments", () => {
    const r = new Rng(42);
    const n = 200_000;
    let su = 0,
      su2 = 0,
      sn = 0,
      sn2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      su += u;
      su2 += u * u;
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    // Standard errors: uniform mean 0.00065, normal mean 0.0022, normal var ~0.0032.
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(su2 / n - (su / n) ** 2).toBeCloseTo(1 / 12, 2);
    expect(Math.abs(sn / n)).toBeLessThan(0.01);
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(0.015);
  });

  it("int stays within inclusive bounds and shuffle is a permutation (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 50 }), (seed, lo, span) => {
        const r = new Rng(seed);
        for (let i = 0; i < 20; i++) {
          const v = r.int(lo, lo + span);
          expect(v).toBeGreaterThanOrEqual(lo);
          expect(v).toBeLessThanOrEqual(lo + span);
        }
        const a = Array.from({ length: span }, (_, i) => i);
        expect([...r.shuffle([...a])].sort((x, y) => x - y)).toEqual(a);
      }),
    );
  });
});
