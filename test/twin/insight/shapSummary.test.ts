import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { summarizeShap, pearson } from "../../../src/twin/insight/shapSummary.js";
import { exactShap } from "../../../src/twin/insight/shapExact.js";
import { fromScalar } from "../../../src/twin/insight/blackBox.js";
import { Rng } from "../../../src/core/rng.js";
import { randomPoints } from "./randomModels.js";

describe("SHAP summary", () => {
  it("ranks by mean |SHAP| and reads direction from the sign of each input's effect (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), (seed) => {
        const rng = new Rng(seed);
        // Distinct weights of random sign; a linear model's SHAP is w_k (x_k - mean).
        const w = rng.shuffle([3, 2, 1, 0.5]).map((v) => (rng.uniform() < 0.5 ? -v : v));
        const f = fromScalar((pts) => pts.map((p) => p.reduce((s, v, k) => s + w[k] * v, 0)));
        // Every column holds the same 20 values in its own order, so each input's spread is
        // the same and mean |SHAP| = |w_k| * mean |x - mean x| orders exactly as |w_k|.
        const values = randomPoints(20, 1, rng).map((r) => r[0]);
        const cols = [0, 1, 2, 3].map(() => rng.shuffle([...values]));
        const X = values.map((_, i) => cols.map((c) => c[i]));
        const [shap] = exactShap(f, X, X, ["a", "b", "c", "d"]);
        const s = summarizeShap(shap, X);
        const byWeight = ["a", "b", "c", "d"].map((n, k) => ({ n, k })).sort((p, q) => Math.abs(w[q.k]) - Math.abs(w[p.k]));
        expect(s.ranking).toEqual(byWeight.map((e) => e.n));
        ["a", "b", "c", "d"].forEach((n, k) => expect(s.direction[n]).toBe(Math.sign(w[k])));
      }),
      { numRuns: 30 },
    );
  });

  it("an ignored input has direction 0 and ranks last", () => {
    const rng = new Rng(4);
    const X = randomPoints(10, 3, rng);
    const [shap] = exactShap(
      fromScalar((pts) => pts.map((p) => p[0] - 2 * p[2])),
      X,
      X,
      ["a", "b", "c"],
    );
    const s = summarizeShap(shap, X);
    expect(s.ranking).toEqual(["c", "a", "b"]);
    expect(s.meanAbs.b).toBe(0);
    expect(s.direction).toEqual({ a: 1, b: 0, c: -1 });
  });

  it("pearson is undefined (NaN) for a constant series", () => {
    expect(pearson([1, 2, 3], [0, 0, 0])).toBeNaN();
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
  });
});
