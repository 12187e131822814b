import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.js";
import { expectGradientMatchesCentralDifferences } from "../helpers/gradientCheck.js";
import { kumaraswamyWarp, WARP_EPS } from "../../src/bo/gp/warp.js";
import { logMarginalLikelihood } from "../../src/bo/gp/hyperopt.js";
import { GpSurrogate } from "../../src/bo/gp/gpSurrogate.js";

const conc = fc.double({ min: 0.2, max: 5, noNaN: true });

describe("Kumaraswamy input warp", () => {
  it("is increasing and bijective from [0, 1] onto [u(0), u(1)] inside (0, 1), with derivatives matching finite differences (property)", () => {
    fc.assert(
      fc.property(conc, conc, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b, x1, x2) => {
        const [lo, hi] = [Math.min(x1, x2), Math.max(x1, x2)];
        const wl = kumaraswamyWarp(lo, a, b);
        const wh = kumaraswamyWarp(hi, a, b);
        expect(wh.u).toBeGreaterThanOrEqual(wl.u);
        if (hi - lo > 1e-6 && wh.u < 1 - 1e-9) expect(wh.u).toBeGreaterThan(wl.u);
        expect(kumaraswamyWarp(0, a, b).u).toBeGreaterThan(0);
        expect(kumaraswamyWarp(1, a, b).u).toBeLessThanOrEqual(1);
        // Bijective: where the map is not flat in floating point, bisection on u gives x back.
        if (wl.dx > 1e-3 && wl.u < 1 - 1e-9) {
          let [l, h] = [0, 1];
          for (let i = 0; i < 60; i++) {
            const m = (l + h) / 2;
            if (kumaraswamyWarp(m, a, b).u < wl.u) l = m;
            else h = m;
          }
          expect(Math.abs((l + h) / 2 - lo)).toBeLessThan(1e-6);
        }
        const x = Math.min(1 - 1e-3, Math.max(1e-3, lo));
        const e = 1e-6;
        const fd = (f: (v: number) => number): number => (f(e) - f(-e)) / (2 * e);
        const w = kumaraswamyWarp(x, a, b);
        expect(w.dx).toBeCloseTo(
          fd((t) => kumaraswamyWarp(x + t, a, b).u),
          4,
        );
        expect(w.dLogA).toBeCloseTo(
          fd((t) => kumaraswamyWarp(x, a * Math.exp(t), b).u),
          4,
        );
        expect(w.dLogB).toBeCloseTo(
          fd((t) => kumaraswamyWarp(x, a, b * Math.exp(t)).u),
          4,
        );
      }),
    );
    expect(Math.abs(kumaraswamyWarp(0.3, 1, 1).u - (WARP_EPS + (1 - 2 * WARP_EPS) * 0.3))).toBeLessThan(1e-12);
  });

  it("the log marginal likelihood gradient in the warp's concentrations matches finite differences (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const rng = new Rng(seed);
        const d = 2;
        const n = 10;
        const X = Float64Array.from({ length: n * d }, () => rng.uniform());
        const y = Float64Array.from({ length: n }, () => rng.normal());
        const theta = [rng.range(-2, 0.5), rng.range(-2, 0.5), rng.range(-1, 1), rng.range(-6, -1), ...Array.from({ length: 2 * d }, () => rng.range(-1, 1))];
        expectGradientMatchesCentralDifferences((t) => logMarginalLikelihood(X, y, d, t, undefined, undefined, true), theta);
      }),
      { numRuns: 10 },
    );
  });

  it("a warped GP's posterior gradients match finite differences, and it fits a sharp off-centre peak better than the plain GP", async () => {
    const rng = new Rng(5);
    const f = (x: number[]): number => Math.exp(-(((x[0] - 0.8) / 0.06) ** 2)) + 0.2 * x[1];
    const X = Array.from({ length: 40 }, () => [rng.uniform(), rng.uniform()]);
    const data = { X, y: X.map(f) };
    const warped = new GpSurrogate({ warp: true, restarts: 1 });
    const plain = new GpSurrogate({ restarts: 1 });
    const fitW = await warped.fit(data, new Rng(1));
    const fitP = await plain.fit(data, new Rng(1));
    expect(fitW.meta!.warp).toBeDefined();
    expect(fitW.meta!.logMarginalLikelihood as number).toBeGreaterThan(fitP.meta!.logMarginalLikelihood as number);
    const x = [0.71, 0.4];
    const g = warped.posteriorGradient([x]);
    for (let c = 0; c < 2; c++) {
      const h = 1e-6;
      const xp = x.slice();
      const xm = x.slice();
      xp[c] += h;
      xm[c] -= h;
      const [p, m] = [warped.posterior([xp]), warped.posterior([xm])];
      expect(Math.abs(g.dMean[c] - (p.mean[0] - m.mean[0]) / (2 * h))).toBeLessThan(1e-4);
      expect(Math.abs(g.dVariance[c] - (p.variance[0] - m.variance[0]) / (2 * h))).toBeLessThan(1e-4);
    }
    // Joint samples at a baseline point reproduce the posterior there (the sampler warps too).
    const s = warped.jointSampler!([x], 512, new Rng(2));
    const c = s.candidates([x]);
    const mean = c.reduce((a, v) => a + v, 0) / c.length;
    expect(Math.abs(mean - warped.posterior([x]).mean[0])).toBeLessThan(0.05);
  });
});
