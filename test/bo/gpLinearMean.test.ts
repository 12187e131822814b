import { describe, expect, it } from "vitest";
import { GpSurrogate } from "../../src/bo/gp/gpSurrogate.js";
import { fitLinearTrend } from "../../src/bo/gp/linearTrend.js";
import { Rng } from "../../src/core/rng.js";

/** 40 noisy readings of a plane rising towards the (1, 1, 1) corner, all inside [0.1, 0.7]^3. */
function planeData() {
  const rng = new Rng(9);
  const X = Array.from({ length: 40 }, () => [0, 0, 0].map(() => 0.1 + 0.6 * rng.uniform()));
  const f = (x: number[]) => 0.1 + 0.05 * x[0] + 0.1 * x[1] + 0.02 * x[2];
  return { X, y: X.map((x) => f(x) * (1 + 0.01 * rng.normal())), f };
}

describe("GP with a linear prior mean", () => {
  it("fitLinearTrend recovers a plane", () => {
    const X = Float64Array.from([0, 0, 1, 0, 0, 1, 1, 1, 0.5, 0.2]);
    const y = Float64Array.from([0, 1, 2, 3, 0.5 * 1 + 0.2 * 2].map((_, i) => 1 + X[2 * i] + 2 * X[2 * i + 1]));
    const t = fitLinearTrend(X, y, 2, 1e-9);
    expect(t.intercept).toBeCloseTo(1, 6);
    expect(Array.from(t.slope)).toEqual([expect.closeTo(1, 6), expect.closeTo(2, 6)]);
  });

  it("extrapolates a monotone trend to the corner closer than the constant-mean GP", async () => {
    const { X, y, f } = planeData();
    const lin = new GpSurrogate({ mean: "linear" });
    const info = await lin.fit({ X, y }, new Rng(1));
    expect(info.meta.priorMean).toBe("linear");
    const flat = new GpSurrogate();
    await flat.fit({ X, y }, new Rng(1));
    const corner = [[1, 1, 1]];
    const truth = f([1, 1, 1]);
    expect(Math.abs(lin.posterior(corner).mean[0] - truth)).toBeLessThan(Math.abs(flat.posterior(corner).mean[0] - truth));
    expect(Math.abs(lin.posterior(corner).mean[0] - truth)).toBeLessThan(0.01);
  });

  it("posterior gradients match finite differences, and conditioning keeps the trend", async () => {
    const { X, y } = planeData();
    const gp = new GpSurrogate({ mean: "linear" });
    await gp.fit({ X, y }, new Rng(2));
    const x = [0.3, 0.8, 0.5];
    const g = gp.posteriorGradient([x]);
    const h = 1e-6;
    for (let j = 0; j < 3; j++) {
      const up = [...x];
      const dn = [...x];
      up[j] += h;
      dn[j] -= h;
      const fd = (gp.posterior([up]).mean[0] - gp.posterior([dn]).mean[0]) / (2 * h);
      expect(g.dMean[j]).toBeCloseTo(fd, 5);
    }
    expect(g.mean[0]).toBeCloseTo(gp.posterior([x]).mean[0], 12);
    // Conditioning on the model's own mean at a point leaves the mean there unchanged.
    const m = gp.posterior([x]).mean[0];
    expect(gp.condition([x], [m]).posterior([x]).mean[0]).toBeCloseTo(m, 8);
  });
});
