import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.js";
import { paramLayout } from "../../src/twin/enn/arch.js";
import { memberBackward, memberForward, summedMse } from "../../src/twin/enn/kernels.js";
import { initParams, JS_KERNELS, defaultKernels, trainMember, type TrainData } from "../../src/twin/enn/memberTrainer.js";
import { FAST_SCHEDULE } from "../../src/twin/enn/schedule.js";
import { SimdKernels } from "../../src/twin/enn/wasm/simdKernels.js";

const archArb = fc.record({
  d: fc.integer({ min: 1, max: 6 }),
  widths: fc.array(fc.integer({ min: 1, max: 11 }), { minLength: 1, maxLength: 4 }),
  nOut: fc.integer({ min: 1, max: 3 }),
});

describe("WebAssembly SIMD training kernels", () => {
  const simd = SimdKernels.create();
  it("are available in this Node and chosen by default (SDFL_TRAIN_KERNELS=js forces JavaScript)", () => {
    expect(simd).toBeDefined();
    expect(defaultKernels({}).name).toBe("wasm-simd-f64");
    expect(defaultKernels({ SDFL_TRAIN_KERNELS: "js" })).toBe(JS_KERNELS);
  });

  it("forward and backward agree with the JavaScript kernels (property)", () => {
    fc.assert(
      fc.property(archArb, fc.integer({ min: 1, max: 9 }), fc.nat(), (arch, n, seed) => {
        const rng = new Rng(seed);
        const L = paramLayout(arch);
        const p0 = initParams(arch, rng);
        const C0 = new Float64Array(n * L.total);
        for (let i = 0; i < n; i++) for (let j = 0; j < arch.d; j++) C0[i * L.total + j] = rng.uniform();
        const T = Float64Array.from({ length: n * arch.nOut }, () => rng.uniform());
        // JavaScript reference
        const Yj = new Float64Array(n * arch.nOut),
          dYj = new Float64Array(n * arch.nOut),
          gj = new Float64Array(L.size);
        const Cj = Float64Array.from(C0);
        memberForward(L, p0, Cj, n, Yj);
        summedMse(Yj, T, n, arch.nOut, dYj);
        memberBackward(L, p0, Cj, n, dYj, new Float64Array(n * L.total), gj);
        // SIMD in its own memory
        const [p, C, G, Y, dY, g] = simd!.arena([L.size, n * L.total, n * L.total, n * arch.nOut, n * arch.nOut, L.size]);
        p.set(p0);
        C.set(C0);
        simd!.forward(L, p, C, n, Y);
        Y.forEach((v, k) => expect(v).toBeCloseTo(Yj[k], 12));
        dY.set(dYj);
        simd!.backward(L, p, C, n, dY, G, g);
        g.forEach((v, k) => expect(Math.abs(v - gj[k])).toBeLessThan(1e-11 * (1 + Math.abs(gj[k]))));
      }),
      { numRuns: 80 },
    );
  });

  it("training a member gives the same epochs and near-identical weights on either kernels", () => {
    const rng = new Rng(11);
    const rows = (k: number) => Float64Array.from({ length: k }, () => rng.uniform());
    const data: TrainData = { d: 5, nOut: 2, nTrain: 40, nVal: 10, trainZ: rows(200), trainY: rows(80), valZ: rows(50), valY: rows(20) };
    const task = { arch: { d: 5, widths: [12, 9, 14], nOut: 2 }, seed: 5 };
    const schedule = { ...FAST_SCHEDULE, maxEpochs: 60 };
    const a = trainMember(task, data, schedule, JS_KERNELS);
    const b = trainMember(task, data, schedule, simd!);
    expect(b.epochs).toBe(a.epochs);
    expect(b.bestEpoch).toBe(a.bestEpoch);
    a.params.forEach((v, k) => expect(Math.abs(b.params[k] - v)).toBeLessThan(1e-8));
  });
});
