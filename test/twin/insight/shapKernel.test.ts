import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../../src/core/rng.js";
import { exactShap } from "../../../src/twin/insight/shapExact.js";
import { kernelShap } from "../../../src/twin/insight/shapKernel.js";
import { fromScalar } from "../../../src/twin/insight/blackBox.js";
import { MODEL_KINDS, randomModel, randomPoints } from "./randomModels.js";

const kind = fc.constantFrom(...MODEL_KINDS);
const seed = fc.integer({ min: 1, max: 2 ** 31 - 1 });

function maxAbsDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((v, k) => Math.abs(v - b[i][k]))));
}
function maxAbs(a: number[][]): number {
  return Math.max(...a.flat().map(Math.abs));
}

describe("Kernel SHAP", () => {
  it("with every coalition enumerated it equals exact SHAP on 5 inputs (property)", () => {
    fc.assert(
      fc.property(kind, seed, (k, s) => {
        const rng = new Rng(s);
        const model = randomModel(k, 5, s);
        const X = randomPoints(3, 5, rng);
        const B = randomPoints(6, 5, rng);
        const [exact] = exactShap(fromScalar(model.f), X, B);
        const [kern] = kernelShap(fromScalar(model.f), X, B, { rng: new Rng(s), samples: 64 });
        expect(maxAbsDiff(kern.values, exact.values)).toBeLessThan(1e-9 * (1 + maxAbs(exact.values)));
      }),
      { numRuns: 40 },
    );
  });

  it("an input the model ignores gets zero, also as the last input (solved by subtraction) (property)", () => {
    fc.assert(
      fc.property(kind, seed, fc.nat(), (k, s, which) => {
        const ignored = which % 6;
        const model = randomModel(
          k,
          6,
          s,
          Array.from({ length: 6 }, (_, q) => q !== ignored),
        );
        const rng = new Rng(s);
        const [r] = kernelShap(fromScalar(model.f), randomPoints(3, 6, rng), randomPoints(4, 6, rng), { rng: new Rng(s), samples: 64 });
        const scale = 1 + maxAbs(r.values);
        for (const row of r.values) expect(Math.abs(row[ignored])).toBeLessThan(1e-10 * scale);
      }),
      { numRuns: 30 },
    );
  });

  it("sampled coalitions converge to exact SHAP on 5 inputs (property)", () => {
    fc.assert(
      fc.property(kind, seed, (k, s) => {
        const rng = new Rng(s);
        const model = randomModel(k, 5, s);
        const X = randomPoints(3, 5, rng);
        const B = randomPoints(6, 5, rng);
        const [exact] = exactShap(fromScalar(model.f), X, B);
        const [kern] = kernelShap(fromScalar(model.f), X, B, { rng: new Rng(s), samples: 4000, mode: "sample" });
        // Sampling error of the kernel weights only (4000 paired draws over 30 coalitions):
        // worst 1.9 % of max |SHAP| over 29 seeds of the product model; uniform instead of
        // kernel weights gives up to 21 %.
        expect(maxAbsDiff(kern.values, exact.values)).toBeLessThan(0.04 * maxAbs(exact.values) + 1e-12);
      }),
      { numRuns: 20 },
    );
  });

  it("efficiency holds exactly and an additive model is recovered exactly with few samples on 12 inputs (property)", () => {
    fc.assert(
      fc.property(seed, (s) => {
        const rng = new Rng(s);
        const model = randomModel("linear", 12, s);
        const X = randomPoints(2, 12, rng);
        const B = randomPoints(4, 12, rng);
        const [kern] = kernelShap(fromScalar(model.f), X, B, { rng: new Rng(s), samples: 100 });
        const mean = Array.from({ length: 12 }, (_, k) => B.reduce((t, b) => t + b[k], 0) / B.length);
        X.forEach((x, i) => x.forEach((xk, k) => expect(kern.values[i][k]).toBeCloseTo(model.weights![k] * (xk - mean[k]), 9)));
      }),
      { numRuns: 10 },
    );
  });

  it("on 8 inputs with interactions of every order it stays close to exact and sums to f(x) - base", () => {
    const rng = new Rng(11);
    const model = randomModel("product", 8, 11);
    const X = randomPoints(4, 8, rng);
    const B = randomPoints(8, 8, rng);
    const [exact] = exactShap(fromScalar(model.f), X, B);
    const [kern] = kernelShap(fromScalar(model.f), X, B, { rng: new Rng(5), samples: 4000, mode: "sample" });
    // 29 seeds: worst 4.2 % with kernel weights, up to 41 % with uniform weights.
    expect(maxAbsDiff(kern.values, exact.values)).toBeLessThan(0.08 * maxAbs(exact.values));
    X.forEach((x, i) => expect(kern.values[i].reduce((a, b) => a + b, 0)).toBeCloseTo(model.at(x) - kern.base, 9));
  });

  it("is reproducible for a seed", () => {
    const rng = new Rng(2);
    const model = randomModel("polynomial", 7, 2);
    const X = randomPoints(2, 7, rng);
    const B = randomPoints(3, 7, rng);
    const a = kernelShap(fromScalar(model.f), X, B, { rng: new Rng(9), samples: 50, mode: "sample" });
    const b = kernelShap(fromScalar(model.f), X, B, { rng: new Rng(9), samples: 50, mode: "sample" });
    expect(a[0].values).toEqual(b[0].values);
  });
});

describe("black-box forms", () => {
  it("a scalar f: (X[n][d]) -> y[n] is accepted directly by both explainers", () => {
    const rng = new Rng(8);
    const model = randomModel("mlp", 6, 8);
    const X = randomPoints(2, 6, rng);
    const B = randomPoints(3, 6, rng);
    const scalar = (pts: readonly (readonly number[])[]) => Float64Array.from(pts.map((p) => model.at(p)));
    const [a] = kernelShap(scalar, X, B, { rng: new Rng(1), samples: 40 });
    const [b] = kernelShap(fromScalar(model.f), X, B, { rng: new Rng(1), samples: 40 });
    expect(a.values).toEqual(b.values);
    expect(exactShap(scalar, X, B)[0].values).toEqual(exactShap(fromScalar(model.f), X, B)[0].values);
  });
});
