import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.js";
import { expectGradientMatchesCentralDifferences } from "../helpers/gradientCheck.js";
import { logMarginalLikelihood } from "../../src/bo/gp/hyperopt.js";
import { GpModel } from "../../src/bo/gp/gp.js";
import { GpSurrogate } from "../../src/bo/gp/gpSurrogate.js";
import { createStrategy } from "../../src/bo/strategies/index.js";
import { toCondition } from "../../src/bo/strategies/unitSpace.js";
import { DEFAULT_SPACE } from "../../src/twin/space.js";

describe("GP kernel with linear and additive parts", () => {
  it("the log marginal likelihood gradient, the parts' hyperparameters included, matches finite differences (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.boolean(), fc.boolean(), fc.boolean(), (seed, relative, linear, additive) => {
        const rng = new Rng(seed);
        const d = 3;
        const n = 12;
        const X = Float64Array.from({ length: n * d }, () => rng.uniform());
        const y = Float64Array.from({ length: n }, () => rng.normal());
        const weights = relative ? Float64Array.from({ length: n }, () => rng.uniform()) : undefined;
        const theta = [
          ...Array.from({ length: d }, () => rng.range(-2, 0.5)),
          rng.range(-1, 1),
          rng.range(-6, -1),
          ...(relative ? [rng.range(-6, -1)] : []),
          ...(linear ? [rng.range(-4, 2)] : []),
          ...(additive ? [rng.range(-2, 1), ...Array.from({ length: d }, () => rng.range(-2, 0.5))] : []),
        ];
        expectGradientMatchesCentralDifferences((t) => logMarginalLikelihood(X, y, d, t, undefined, weights, false, "matern52", { linear, additive }), theta);
      }),
      { numRuns: 16 },
    );
  });

  it("posterior moments, their gradients and covariances are consistent with each other (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const rng = new Rng(seed);
        const d = 2;
        const n = 8;
        const X = Float64Array.from({ length: n * d }, () => rng.uniform());
        const y = Float64Array.from({ length: n }, () => rng.normal());
        const hp = {
          lengthscales: [rng.range(0.1, 1), rng.range(0.1, 1)],
          outputscale: rng.range(0.3, 2),
          noise: 0.05,
          linear: rng.range(0.05, 3),
          linearCenter: [rng.uniform(), rng.uniform()],
          additive: { variance: rng.range(0.1, 2), lengthscales: [rng.range(0.1, 1), rng.range(0.1, 1)] },
        };
        const m = new GpModel(X, y, d, hp);
        const q = Float64Array.from({ length: 3 * d }, () => rng.uniform());
        const p = m.predict(q);
        const g = m.predictWithGradient(q);
        const C = m.covariance(q);
        const cc = m.crossCovariance(q, q);
        for (let i = 0; i < 3; i++) {
          expect(g.mean[i]).toBeCloseTo(p.mean[i], 10);
          expect(g.variance[i]).toBeCloseTo(p.variance[i], 10);
          expect(C[i * 3 + i]).toBeCloseTo(p.variance[i], 8);
          expect(cc.variance[i]).toBeCloseTo(p.variance[i], 8);
          for (let k = 0; k < 3; k++) expect(cc.cross[i * 3 + k]).toBeCloseTo(C[i * 3 + k], 8);
          for (let c = 0; c < d; c++) {
            const h = 1e-6;
            const qp = q.slice();
            const qm = q.slice();
            qp[i * d + c] += h;
            qm[i * d + c] -= h;
            const [pp, pm] = [m.predict(qp), m.predict(qm)];
            expect(Math.abs(g.dMean[i * d + c] - (pp.mean[i] - pm.mean[i]) / (2 * h))).toBeLessThan(1e-5);
            expect(Math.abs(g.dVariance[i * d + c] - (pp.variance[i] - pm.variance[i]) / (2 * h))).toBeLessThan(1e-5);
          }
        }
        // Without the parts (slope variance 0, no additive part) it is the plain Matern GP.
        const plain = new GpModel(X, y, d, { ...hp, linear: undefined, additive: undefined }).predict(q);
        const zero = new GpModel(X, y, d, { ...hp, linear: 0, additive: undefined }).predict(q);
        for (let i = 0; i < 3; i++) {
          expect(zero.mean[i]).toBe(plain.mean[i]);
          expect(zero.variance[i]).toBe(plain.variance[i]);
        }
      }),
      { numRuns: 20 },
    );
  });

  it("on a noisy linear response it extrapolates the trend to the box's corner and is less certain there than inside", async () => {
    const rng = new Rng(3);
    const f = (x: number[]): number => 0.2 + 0.1 * x[0] + 0.05 * x[1];
    // Data only in the lower-left three quarters of each input's range.
    const X = Array.from({ length: 30 }, () => [0.75 * rng.uniform(), 0.75 * rng.uniform()]);
    const data = { X, y: X.map((x) => f(x) + 0.002 * rng.normal()) };
    const lin = new GpSurrogate({ linearKernel: true, restarts: 1 });
    const plain = new GpSurrogate({ restarts: 1 });
    const fitL = await lin.fit(data, new Rng(1));
    await plain.fit(data, new Rng(1));
    expect(fitL.meta!.kernel).toBe("matern52-ard+linear");
    expect(fitL.meta!.linearSlopeVariance as number).toBeGreaterThan(0);
    const corner = [1, 1];
    const errLin = Math.abs(lin.posterior([corner]).mean[0] - f(corner));
    const errPlain = Math.abs(plain.posterior([corner]).mean[0] - f(corner));
    expect(errLin).toBeLessThan(errPlain);
    expect(errLin).toBeLessThan(0.01);
    expect(lin.posterior([corner]).variance[0]).toBeGreaterThan(lin.posterior([[0.4, 0.4]]).variance[0]);
  });

  it("on a separable response the additive part predicts unseen points better than the ARD kernel alone", async () => {
    const rng = new Rng(4);
    const d = 4;
    // Styblinski-Tang-like: a sum of one-dimensional double wells, on [-5, 5] per input.
    const f = (x: number[]): number => -x.reduce((s, v) => s + ((10 * v - 5) ** 4 - 16 * (10 * v - 5) ** 2 + 5 * (10 * v - 5)) / 2, 0);
    const X = Array.from({ length: 50 }, () => Array.from({ length: d }, () => rng.uniform()));
    const data = { X, y: X.map(f) };
    const add = new GpSurrogate({ additiveKernel: true, restarts: 1 });
    const plain = new GpSurrogate({ restarts: 1 });
    const fitA = await add.fit(data, new Rng(1));
    await plain.fit(data, new Rng(1));
    expect(fitA.meta!.kernel).toBe("matern52-ard+additive");
    const T = Array.from({ length: 200 }, () => Array.from({ length: d }, () => rng.uniform()));
    const rmse = (g: GpSurrogate): number => Math.sqrt(T.reduce((s, x, i) => s + (g.posterior([x]).mean[0] - f(T[i])) ** 2, 0) / T.length);
    expect(rmse(add)).toBeLessThan(0.5 * rmse(plain));
  });

  it("the built-ins gp-ucb-add and gp-ucb-lin fit GPs with those parts, and gp-ucb without them", async () => {
    const rng = new Rng(2);
    const observations = Array.from({ length: 8 }, () => {
      const x = Array.from({ length: 5 }, () => rng.uniform());
      return { x, y: x.reduce((s, v) => s + v, 0) };
    });
    for (const [name, kernel] of [
      ["gp-ucb-add", "matern52-ard+additive"],
      ["gp-ucb-lin", "matern52-ard+linear"],
      ["gp-ucb", "matern52-ard"],
    ]) {
      const s = createStrategy(name, { space: DEFAULT_SPACE, seed: 1 }, { gp: { restarts: 0 } });
      await s.tell(observations.map((o) => ({ condition: toCondition(DEFAULT_SPACE, o.x), objective: o.y })));
      const [p] = await s.ask(1);
      expect(p.fit?.meta?.kernel).toBe(kernel);
    }
  }, 60_000);

  it("the closed-form leave-one-out density equals refitting without each point (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const rng = new Rng(seed);
        const d = 2;
        const n = 9;
        const X = Float64Array.from({ length: n * d }, () => rng.uniform());
        const y = Float64Array.from({ length: n }, () => rng.normal());
        const hp = {
          lengthscales: [rng.range(0.1, 1), rng.range(0.1, 1)],
          outputscale: rng.range(0.3, 2),
          noise: rng.range(0.01, 0.3),
          additive: { variance: rng.range(0.1, 1), lengthscales: [rng.range(0.1, 1), rng.range(0.1, 1)] },
        };
        let brute = 0;
        for (let i = 0; i < n; i++) {
          const keep = [...Array(n).keys()].filter((j) => j !== i);
          const Xi = Float64Array.from(keep.flatMap((j) => [X[j * d], X[j * d + 1]]));
          const m = new GpModel(Xi, Float64Array.from(keep.map((j) => y[j])), d, hp);
          const p = m.predict(X.slice(i * d, i * d + d));
          const v = p.variance[0] + hp.noise;
          brute += -0.5 * Math.log(2 * Math.PI * v) - (y[i] - p.mean[0]) ** 2 / (2 * v);
        }
        expect(new GpModel(X, y, d, hp).looLogPredictive()).toBeCloseTo(brute / n, 8);
      }),
      { numRuns: 10 },
    );
  });

  it('"auto" keeps the additive part on a separable response and drops it on a pure interaction', async () => {
    const rng = new Rng(6);
    const X = Array.from({ length: 40 }, () => [rng.uniform(), rng.uniform(), rng.uniform()]);
    const separable = (x: number[]): number => Math.sin(6 * x[0]) + Math.cos(5 * x[1]) + x[2] ** 2;
    const interaction = (x: number[]): number => Math.sin(8 * (x[0] - 0.5) * (x[1] - 0.5) * 4) * (x[2] - 0.5);
    const pick = async (f: (x: number[]) => number): Promise<{ additive: boolean; looWith: number; looWithout: number }> => {
      const fit = await new GpSurrogate({ additiveKernel: "auto", restarts: 1 }).fit({ X, y: X.map((x) => f(x) + 0.01 * rng.normal()) }, new Rng(1));
      return fit.meta!.additiveSelection as { additive: boolean; looWith: number; looWithout: number };
    };
    expect((await pick(separable)).additive).toBe(true);
    expect((await pick(interaction)).additive).toBe(false);
  });

  it('"auto" needs its margin in leave-one-out nats per observation and additiveMinPerInput observations per input', async () => {
    const rng = new Rng(9);
    const X = Array.from({ length: 30 }, () => [rng.uniform(), rng.uniform(), rng.uniform()]);
    const data = { X, y: X.map((x) => Math.sin(6 * x[0]) + Math.cos(5 * x[1]) + x[2] ** 2 + 0.01 * rng.normal()) };
    const fit = async (o: { additiveMargin?: number; additiveMinPerInput?: number }) =>
      (await new GpSurrogate({ additiveKernel: "auto", restarts: 1, ...o }).fit(data, new Rng(1))).meta!;
    const free = (await fit({})).additiveSelection as { additive: boolean; looWith: number; looWithout: number };
    expect(free.additive).toBe(true);
    const gain = free.looWith - free.looWithout;
    // Just above the gain the GP without the additive part is kept; just below, the additive one.
    const above = (await fit({ additiveMargin: gain + 1e-6 })).additiveSelection as { additive: boolean };
    expect(above.additive).toBe(false);
    expect(((await fit({ additiveMargin: gain - 1e-6 })).additiveSelection as { additive: boolean }).additive).toBe(true);
    // 30 observations of 3 inputs: 10 per input is enough, 11 is not (no selection is made).
    expect((await fit({ additiveMinPerInput: 10 })).additiveSelection).toBeDefined();
    const tooFew = await fit({ additiveMinPerInput: 11 });
    expect(tooFew.additiveSelection).toBeUndefined();
    expect(tooFew.kernel).not.toMatch(/additive/);
  });

  it('"auto" that keeps the GP without the additive part fits exactly as without "auto", also on a warm-started second fit', async () => {
    const rng = new Rng(10);
    const X = Array.from({ length: 24 }, () => [rng.uniform(), rng.uniform()]);
    const y = X.map((x) => Math.sin(7 * x[0] * x[1]) + 0.02 * rng.normal());
    const Xq = [
      [0.3, 0.6],
      [0.9, 0.1],
    ];
    const plain = new GpSurrogate({ restarts: 2 });
    const auto = new GpSurrogate({ restarts: 2, additiveKernel: "auto", additiveMargin: 1e9 });
    const [r1, r2] = [new Rng(4), new Rng(4)];
    for (const n of [20, 24]) {
      await plain.fit({ X: X.slice(0, n), y: y.slice(0, n) }, r1);
      const info = await auto.fit({ X: X.slice(0, n), y: y.slice(0, n) }, r2);
      expect((info.meta!.additiveSelection as { additive: boolean }).additive).toBe(false);
      expect(auto.posterior(Xq).mean).toEqual(plain.posterior(Xq).mean);
      expect(auto.posterior(Xq).variance).toEqual(plain.posterior(Xq).variance);
    }
    expect(r2.uniform()).toBe(r1.uniform());
  });

  it("a GP given another as its additiveKernel follows that GP's last choice", async () => {
    const rng = new Rng(11);
    const X = Array.from({ length: 30 }, () => [rng.uniform(), rng.uniform(), rng.uniform()]);
    const data = { X, y: X.map((x) => Math.sin(6 * x[0]) + Math.cos(5 * x[1]) + x[2] ** 2 + 0.01 * rng.normal()) };
    for (const margin of [0, 1e9]) {
      const leader = new GpSurrogate({ additiveKernel: "auto", additiveMargin: margin, restarts: 1 });
      await leader.fit(data, new Rng(1));
      expect(leader.additiveKept).toBe(margin === 0);
      const follower = new GpSurrogate({ additiveKernel: leader, restarts: 1 });
      const info = await follower.fit(data, new Rng(2));
      expect(follower.additiveKept).toBe(leader.additiveKept);
      expect(info.meta!.kernel).toBe(margin === 0 ? "matern52-ard+additive" : "matern52-ard");
    }
  });

  it("a linear prior mean with trendMinPerInput is fitted only from that many observations per input on", async () => {
    const rng = new Rng(8);
    const d = 2;
    const points = (n: number) => {
      const X = Array.from({ length: n }, () => [rng.uniform(), rng.uniform()]);
      return { X, y: X.map((x) => x[0] + 0.5 * x[1] + 0.01 * rng.normal()) };
    };
    const priorMean = async (n: number, min?: number) =>
      (await new GpSurrogate({ mean: "linear", trendMinPerInput: min, restarts: 0 }).fit(points(n), new Rng(1))).meta!.priorMean;
    expect(await priorMean(10 * d - 1, 10)).toBe("constant");
    expect(await priorMean(10 * d, 10)).toBe("linear");
    expect(await priorMean(d + 2)).toBe("linear");
    expect(await priorMean(d + 1)).toBe("constant");
  });

  it("cannot be combined with the input warp", () => {
    expect(() => new GpSurrogate({ linearKernel: true, warp: true })).toThrow(/warp and the linear part/);
    expect(() => new GpSurrogate({ additiveKernel: true, warp: true })).toThrow(/warp and the additive part/);
  });
});
