import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../../src/core/rng.js";
import { exactShap } from "../../../src/twin/insight/shapExact.js";
import { fromScalar } from "../../../src/twin/insight/blackBox.js";
import { MODEL_KINDS, bruteForceShap, randomModel, randomPoints } from "./randomModels.js";

const kind = fc.constantFrom(...MODEL_KINDS);
const seed = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const dim = fc.integer({ min: 2, max: 5 });

describe("exact interventional SHAP", () => {
  it("efficiency: the values of each point sum to f(x) minus the background mean (property)", () => {
    fc.assert(
      fc.property(kind, seed, dim, (k, s, d) => {
        const rng = new Rng(s);
        const model = randomModel(k, d, s);
        const X = randomPoints(4, d, rng);
        const B = randomPoints(7, d, rng);
        const [r] = exactShap(fromScalar(model.f), X, B);
        const base = B.reduce((t, b) => t + model.at(b), 0) / B.length;
        expect(r.base).toBeCloseTo(base, 10);
        X.forEach((x, i) => {
          const sum = r.values[i].reduce((a, b) => a + b, 0);
          expect(Math.abs(sum - (model.at(x) - base))).toBeLessThan(1e-9 * (1 + Math.abs(base)));
        });
      }),
      { numRuns: 60 },
    );
  });

  it("an input the model ignores gets exactly zero (property)", () => {
    fc.assert(
      fc.property(kind, seed, dim, fc.nat(), (k, s, d, which) => {
        const ignored = which % d;
        const uses = Array.from({ length: d }, (_, q) => q !== ignored);
        const rng = new Rng(s);
        const model = randomModel(k, d, s, uses);
        const [r] = exactShap(fromScalar(model.f), randomPoints(3, d, rng), randomPoints(5, d, rng));
        for (const row of r.values) expect(row[ignored]).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it("symmetry: interchangeable inputs get equal values (property)", () => {
    fc.assert(
      fc.property(kind, seed, fc.integer({ min: 3, max: 5 }), (k, s, d) => {
        const rng = new Rng(s);
        const base = randomModel(k, d, s);
        // f(x) = g(x) + g(x with inputs 0 and 1 swapped) is symmetric in inputs 0 and 1.
        const swap = (x: readonly number[]): number[] => [x[1], x[0], ...x.slice(2)];
        const at = (x: readonly number[]): number => base.at(x) + base.at(swap(x));
        const B0 = randomPoints(4, d, rng);
        const B = [...B0, ...B0.map(swap)]; // background closed under the swap
        const X = randomPoints(3, d, rng).map((x) => [x[0], x[0], ...x.slice(2)]);
        const [r] = exactShap(
          fromScalar((pts) => pts.map(at)),
          X,
          B,
        );
        for (const row of r.values) expect(Math.abs(row[0] - row[1])).toBeLessThan(1e-10 * (1 + Math.abs(row[0])));
      }),
      { numRuns: 60 },
    );
  });

  it("agrees with the brute-force permutation definition on small models (property)", () => {
    fc.assert(
      fc.property(kind, seed, fc.integer({ min: 1, max: 5 }), (k, s, d) => {
        const rng = new Rng(s);
        const model = randomModel(k, d, s);
        const X = randomPoints(2, d, rng);
        const B = randomPoints(3, d, rng);
        const [r] = exactShap(fromScalar(model.f), X, B);
        X.forEach((x, i) => {
          const brute = bruteForceShap(model.at, x, B);
          brute.forEach((p, q) => expect(Math.abs(r.values[i][q] - p)).toBeLessThan(1e-10 * (1 + Math.abs(p))));
        });
      }),
      { numRuns: 40 },
    );
  });

  it("a linear model gets w_k (x_k - mean background x_k)", () => {
    const rng = new Rng(7);
    const model = randomModel("linear", 5, 7);
    const X = randomPoints(5, 5, rng);
    const B = randomPoints(9, 5, rng);
    const [r] = exactShap(fromScalar(model.f), X, B);
    const mean = [0, 1, 2, 3, 4].map((k) => B.reduce((s, b) => s + b[k], 0) / B.length);
    X.forEach((x, i) => x.forEach((xk, k) => expect(r.values[i][k]).toBeCloseTo(model.weights![k] * (xk - mean[k]), 12)));
  });

  it("calls the model once for all coalitions, points and background rows, and explains every output", () => {
    const calls: number[] = [];
    const f = (pts: readonly (readonly number[])[]) => {
      calls.push(pts.length);
      return [pts.map((p) => p[0] * p[1]), pts.map((p) => p[2])];
    };
    const rng = new Rng(3);
    const out = exactShap(f, randomPoints(4, 5, rng), randomPoints(6, 5, rng), ["a", "b", "c", "d", "e"]);
    expect(calls).toEqual([6 + 4 + 4 * 6 * 30]);
    expect(out).toHaveLength(2);
    expect(out[1].inputs).toEqual(["a", "b", "c", "d", "e"]);
    for (const row of out[1].values) expect([row[0], row[1], row[3], row[4]]).toEqual([0, 0, 0, 0]);
  });

  it("explaining the background rows themselves evaluates each distinct point once and still agrees with brute force (property)", () => {
    fc.assert(
      fc.property(kind, seed, (k, s) => {
        const rng = new Rng(s);
        const model = randomModel(k, 5, s);
        const X = randomPoints(6, 5, rng);
        const calls: number[] = [];
        const [r] = exactShap(
          (pts) => {
            calls.push(pts.length);
            return [model.f(pts)];
          },
          X,
          X,
        );
        // (x_i on S, x_j off S) = (x_j on ~S, x_i off ~S); i = j gives x_i: n + 15 n (n - 1) points.
        expect(calls).toEqual([6 + 15 * 6 * 5]);
        X.forEach((x, i) => bruteForceShap(model.at, x, X).forEach((p, q) => expect(Math.abs(r.values[i][q] - p)).toBeLessThan(1e-10 * (1 + Math.abs(p)))));
      }),
      { numRuns: 15 },
    );
  });
});
