import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.js";
import { paramLayout, toCascadeMember, fromCascadeMember, forwardMacs, type CascadeArch } from "../../src/twin/enn/arch.js";
import { memberBackward, memberForward, memberInputGradient, summedMse } from "../../src/twin/enn/kernels.js";
import { initParams } from "../../src/twin/enn/memberTrainer.js";
import { cascadeForward } from "../../src/twin/cascade.js";

const archArb = fc.record({
  d: fc.integer({ min: 1, max: 6 }),
  widths: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
  nOut: fc.integer({ min: 1, max: 3 }),
});

function setup(arch: CascadeArch, n: number, seed: number) {
  const rng = new Rng(seed);
  const L = paramLayout(arch);
  const p = initParams(arch, rng);
  const C = new Float64Array(n * L.total);
  for (let i = 0; i < n; i++) for (let j = 0; j < arch.d; j++) C[i * L.total + j] = rng.uniform();
  const T = Float64Array.from({ length: n * arch.nOut }, () => rng.uniform());
  return { L, p, C, T };
}

describe("cascade kernels", () => {
  it("forward equals the reference nested-array forward (cascade.ts) (property)", () => {
    fc.assert(
      fc.property(archArb, fc.integer({ min: 1, max: 7 }), fc.nat(), (arch, n, seed) => {
        const { L, p, C } = setup(arch, n, seed);
        const z = new Float64Array(n * arch.d);
        for (let i = 0; i < n; i++) for (let j = 0; j < arch.d; j++) z[i * arch.d + j] = C[i * L.total + j];
        const Y = new Float64Array(n * arch.nOut);
        memberForward(L, p, C, n, Y);
        const ref = cascadeForward(toCascadeMember(L, p), z, n, arch.d);
        ref.forEach((v, k) => expect(Y[k]).toBeCloseTo(v, 12));
      }),
      { numRuns: 60 },
    );
  });

  it("backward equals central finite differences of the summed MSE (property)", () => {
    fc.assert(
      fc.property(archArb, fc.integer({ min: 1, max: 5 }), fc.nat(), (arch, n, seed) => {
        const { L, p, C, T } = setup(arch, n, seed);
        const Y = new Float64Array(n * arch.nOut);
        const dY = new Float64Array(n * arch.nOut);
        const loss = (): number => {
          memberForward(L, p, C, n, Y);
          return summedMse(Y, T, n, arch.nOut);
        };
        memberForward(L, p, C, n, Y);
        summedMse(Y, T, n, arch.nOut, dY);
        const grad = new Float64Array(L.size);
        memberBackward(L, p, C, n, dY, new Float64Array(n * L.total), grad);
        const h = 1e-6;
        for (let k = 0; k < L.size; k++) {
          const o = p[k];
          p[k] = o + h;
          const a = loss();
          p[k] = o - h;
          const b = loss();
          p[k] = o;
          // ReLU kinks make finite differences wrong only when a unit sits within h of 0: vanishingly rare with random data.
          expect(Math.abs((a - b) / (2 * h) - grad[k])).toBeLessThan(1e-6);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("input gradient equals central finite differences (property)", () => {
    fc.assert(
      fc.property(archArb, fc.integer({ min: 1, max: 4 }), fc.nat(), (arch, n, seed) => {
        const { L, p, C } = setup(arch, n, seed);
        const w = Float64Array.from({ length: n * arch.nOut }, (_, k) => Math.sin(k + 1)); // loss = sum w * Y
        const Y = new Float64Array(n * arch.nOut);
        const loss = (): number => {
          memberForward(L, p, C, n, Y);
          return Y.reduce((s, y, k) => s + w[k] * y, 0);
        };
        loss();
        const dZ = new Float64Array(n * arch.d);
        memberInputGradient(L, p, C, n, w, new Float64Array(n * L.total), dZ);
        const h = 1e-6;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < arch.d; j++) {
            const k = i * L.total + j;
            const o = C[k];
            C[k] = o + h;
            const a = loss();
            C[k] = o - h;
            const b = loss();
            C[k] = o;
            expect(Math.abs((a - b) / (2 * h) - dZ[i * arch.d + j])).toBeLessThan(1e-6);
          }
      }),
      { numRuns: 40 },
    );
  });

  it("flat <-> nested member conversion round-trips and counts multiply-adds", () => {
    const arch = { d: 5, widths: [3, 4], nOut: 2 };
    const { L, p } = setup(arch, 1, 1);
    const back = fromCascadeMember(toCascadeMember(L, p), 5);
    expect(Array.from(back.params)).toEqual(Array.from(p));
    expect(forwardMacs(arch)).toBe(3 * 5 + 4 * 8 + 2 * 12);
  });
});
