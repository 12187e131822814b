import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CholeskyDecomposition, Matrix } from "ml-matrix";
import { Rng } from "../../src/core/rng.js";
import { expectGradientMatchesCentralDifferences } from "../helpers/gradientCheck.js";
import { cholesky, choleskyInverse, choleskySolve, choleskyWithJitter } from "../../src/bo/gp/cholesky.js";
import { GpModel } from "../../src/bo/gp/gp.js";
import { GpSurrogate } from "../../src/bo/gp/gpSurrogate.js";
import { fitHyperparameters, logMarginalLikelihood } from "../../src/bo/gp/hyperopt.js";

const rand = (rng: Rng, n: number, d: number) => Array.from({ length: n }, () => Array.from({ length: d }, () => rng.uniform()));

describe("Cholesky", () => {
  it("agrees with ml-matrix on random SPD matrices (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const rng = new Rng(seed);
        const B = rand(rng, n, n);
        const A = new Matrix(B).mmul(new Matrix(B).transpose()).add(Matrix.eye(n).mul(0.1));
        const L = cholesky(Float64Array.from(A.to1DArray()), n)!;
        const ref = new CholeskyDecomposition(A).lowerTriangularMatrix.to1DArray();
        ref.forEach((v, i) => expect(L[i]).toBeCloseTo(v, 10));
      }),
      { numRuns: 30 },
    );
  });

  it("inverts: each column is choleskySolve on a unit vector, bit for bit, and agrees with ml-matrix (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const rng = new Rng(seed);
        const B = rand(rng, n, n);
        const A = new Matrix(B).mmul(new Matrix(B).transpose()).add(Matrix.eye(n).mul(0.1));
        const L = cholesky(Float64Array.from(A.to1DArray()), n)!;
        const inv = choleskyInverse(L, n);
        for (let j = 0; j < n; j++) {
          const col = choleskySolve(
            L,
            n,
            Array.from({ length: n }, (_, i) => (i === j ? 1 : 0)),
          );
          for (let i = 0; i < n; i++) expect(Object.is(inv[i * n + j], col[i])).toBe(true);
        }
        const ref = new Matrix(A).mmul(new Matrix(Array.from({ length: n }, (_, i) => Array.from(inv.subarray(i * n, (i + 1) * n)))));
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(ref.get(i, j)).toBeCloseTo(i === j ? 1 : 0, 6);
      }),
      { numRuns: 30 },
    );
  });

  it("adds jitter to a singular matrix and reports how much", () => {
    const A = Float64Array.from([1, 1, 1, 1]);
    expect(cholesky(A, 2)).toBeNull();
    const r = choleskyWithJitter(A, 2)!;
    expect(r.jitter).toBeGreaterThan(0);
    expect(r.jitter).toBeLessThan(1e-3);
  });
});

describe("GP", () => {
  it("log marginal likelihood gradient matches finite differences (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const rng = new Rng(seed);
        const d = 3;
        const X = Float64Array.from(rand(rng, 12, d).flat());
        const y = Float64Array.from({ length: 12 }, () => rng.normal());
        const theta = [...Array.from({ length: d }, () => rng.range(-2, 0.5)), rng.range(-1, 1), rng.range(-6, -1)];
        expectGradientMatchesCentralDifferences((t) => logMarginalLikelihood(X, y, d, t), theta);
        // The Matern 3/2 kernel too.
        expectGradientMatchesCentralDifferences((t) => logMarginalLikelihood(X, y, d, t, undefined, undefined, false, "matern32"), theta);
      }),
      { numRuns: 10 },
    );
  });

  it("the value without the gradient (the line search's) is the value with it, bit for bit, for every kernel part (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom("plain", "linear", "additive", "warp", "weights"), (seed, part) => {
        const rng = new Rng(seed);
        const d = 3;
        const n = 15;
        const X = Float64Array.from(rand(rng, n, d).flat());
        const y = Float64Array.from({ length: n }, () => rng.normal());
        const w = part === "weights" ? Float64Array.from({ length: n }, () => rng.uniform()) : undefined;
        const parts = { linear: part === "linear", additive: part === "additive" };
        const theta = [...Array.from({ length: d }, () => rng.range(-2, 0.5)), rng.range(-1, 1), rng.range(-6, -1)];
        if (w) theta.push(rng.range(-4, 0));
        if (parts.linear) theta.push(rng.range(-2, 1));
        if (parts.additive) theta.push(rng.range(-1, 1), ...Array.from({ length: d }, () => rng.range(-2, 0.5)));
        if (part === "warp") theta.push(...Array.from({ length: 2 * d }, () => rng.range(-0.5, 0.5)));
        const full = logMarginalLikelihood(X, y, d, theta, undefined, w, part === "warp", "matern52", parts);
        const valueOnly = logMarginalLikelihood(X, y, d, theta, undefined, w, part === "warp", "matern52", parts, false);
        expect(Number.isFinite(full.value)).toBe(true);
        expect(Object.is(valueOnly.value, full.value)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it("with relative noise (a noise part proportional to the squared reading) the gradient matches finite differences too (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const rng = new Rng(seed);
        const d = 2;
        const X = Float64Array.from(rand(rng, 10, d).flat());
        const y = Float64Array.from({ length: 10 }, () => rng.normal());
        const w = Float64Array.from({ length: 10 }, () => rng.uniform());
        const theta = [...Array.from({ length: d }, () => rng.range(-2, 0.5)), rng.range(-1, 1), rng.range(-6, -1), rng.range(-4, 0)];
        expectGradientMatchesCentralDifferences((t) => logMarginalLikelihood(X, y, d, t, undefined, w), theta);
      }),
      { numRuns: 10 },
    );
  });

  it("known heteroscedastic noise: both noise parts stay at the given values while the kernel is fitted (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
        fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
        (seed, c, p) => {
          const rng = new Rng(seed);
          const X = Float64Array.from(rand(rng, 12, 2).flat());
          const y = Float64Array.from({ length: 12 }, () => rng.normal());
          const w = Float64Array.from({ length: 12 }, () => rng.uniform());
          const fit = fitHyperparameters(X, y, 2, rng, { restarts: 1, maxIterations: 15, fixedNoise: c, fixedNoiseProportional: p, noiseWeights: w });
          expect(fit.hp.noise).toBeCloseTo(c, 10);
          expect(fit.hp.noiseProportional!).toBeCloseTo(p, 10);
          expect(Number.isFinite(fit.logMarginalLikelihood)).toBe(true);
        },
      ),
      { numRuns: 10 },
    );
  });

  it("relative noise: fitted to readings with 5 % noise it finds a relative noise near 5 %, and with constant noise almost none", async () => {
    const rng = new Rng(7);
    const X = rand(rng, 80, 2);
    const f = (x: number[]): number => 1 + 4 * x[0] * x[0] + Math.sin(3 * x[1]);
    const relSd = (noisy: (v: number) => number): Promise<number> => {
      const gp = new GpSurrogate({ relativeNoise: true, restarts: 1 });
      return gp.fit({ X, y: X.map((x) => noisy(f(x))) }, new Rng(1)).then((fit) => fit.meta!.relativeNoiseSd as number);
    };
    const rel = await relSd((v) => v * (1 + 0.05 * rng.normal()));
    expect(rel).toBeGreaterThan(0.03);
    expect(rel).toBeLessThan(0.08);
    expect(await relSd((v) => v + 0.0005 * rng.normal())).toBeLessThan(0.01);
  });

  it.each(["matern52", "matern32"] as const)("posterior mean and variance gradients match finite differences, %s (property)", (kernel) => {
    const rng = new Rng(3);
    const d = 4;
    const model = new GpModel(
      Float64Array.from(rand(rng, 15, d).flat()),
      Float64Array.from({ length: 15 }, () => rng.normal()),
      d,
      { lengthscales: [0.3, 0.5, 0.7, 0.4], outputscale: 1.3, noise: 1e-3, kernel },
    );
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: d, maxLength: d }), (x) => {
        const g = model.predictWithGradient(Float64Array.from(x));
        for (let c = 0; c < d; c++) {
          const h = 1e-6;
          const xp = x.slice();
          const xm = x.slice();
          xp[c] += h;
          xm[c] -= h;
          const p = model.predict(Float64Array.from(xp));
          const m = model.predict(Float64Array.from(xm));
          expect(Math.abs(g.dMean[c] - (p.mean[0] - m.mean[0]) / (2 * h))).toBeLessThan(1e-5);
          expect(Math.abs(g.dVariance[c] - (p.variance[0] - m.variance[0]) / (2 * h))).toBeLessThan(1e-5);
        }
      }),
      { numRuns: 30 },
    );
  });

  it("fits a function of one input: short lengthscale there, long on the others; predicts well", async () => {
    const rng = new Rng(11);
    const X = rand(rng, 40, 3);
    const f = (x: number[]) => 0.2 + 0.1 * Math.sin(6 * x[0]);
    const gp = new GpSurrogate();
    const info = await gp.fit({ X, y: X.map(f) }, new Rng(1));
    const ls = info.meta.lengthscales as number[];
    expect(ls[0]).toBeLessThan(ls[1] / 3);
    expect(ls[0]).toBeLessThan(ls[2] / 3);
    expect(info.warnings).toEqual([]);
    const test = rand(rng, 50, 3);
    const post = gp.posterior(test);
    test.forEach((x, i) => expect(Math.abs(post.mean[i] - f(x))).toBeLessThan(0.01));
  });

  it("warns when jitter was needed (duplicate inputs, noise at its floor)", () => {
    const X = Float64Array.from([0.5, 0.5, 0.5, 0.5]);
    const m = new GpModel(X, Float64Array.from([1, 1]), 2, { lengthscales: [0.5, 0.5], outputscale: 1, noise: 0 });
    expect(m.jitter).toBeGreaterThan(0);
  });

  it("fit reports a warning when the covariance needed jitter (duplicate inputs, tiny known noise)", async () => {
    const X = [
      [0.1, 0.2],
      [0.1, 0.2],
      [0.9, 0.8],
      [0.5, 0.5],
    ];
    const y = [1, 1, 2, 1.5];
    const gp = new GpSurrogate({ fixedNoiseVariance: 1e-20 });
    const info = await gp.fit({ X, y }, new Rng(2));
    expect(info.meta.jitter as number).toBeGreaterThan(0);
    expect(info.warnings.length).toBe(1);
    expect(info.warnings[0]).toMatch(/added jitter .* to its diagonal/);
    // With the noise estimated, the same data needs no jitter and gives no warning.
    const est = await new GpSurrogate().fit({ X, y }, new Rng(2));
    expect(est.warnings).toEqual([]);
    expect(() => new GpSurrogate({ fixedNoiseVariance: 0 })).toThrow(/fixedNoiseVariance/);
  });

  it("joint samples have the posterior mean and covariance (Monte Carlo)", async () => {
    const rng = new Rng(5);
    const X = rand(rng, 10, 2);
    const gp = new GpSurrogate();
    await gp.fit({ X, y: X.map((x) => x[0] + x[1] ** 2) }, new Rng(1));
    const q = [
      [0.2, 0.3],
      [0.21, 0.3],
      [0.8, 0.9],
    ];
    const post = gp.posterior(q);
    const S = post.sample(4000, new Rng(9));
    for (let i = 0; i < 3; i++) {
      const m = S.reduce((a, s) => a + s[i], 0) / S.length;
      const v = S.reduce((a, s) => a + (s[i] - m) ** 2, 0) / S.length;
      expect(Math.abs(m - post.mean[i])).toBeLessThan(4 * Math.sqrt(post.variance[i] / S.length) + 1e-9);
      expect(v / post.variance[i]).toBeGreaterThan(0.85);
      expect(v / post.variance[i]).toBeLessThan(1.15);
    }
    // Nearby points are strongly correlated in joint samples.
    const corr = S.reduce((a, s) => a + (s[0] - post.mean[0]) * (s[1] - post.mean[1]), 0) / S.length / Math.sqrt(post.variance[0] * post.variance[1]);
    expect(corr).toBeGreaterThan(0.9);
  });

  it("condition() keeps hyperparameters and pins the posterior at the fantasy", async () => {
    const rng = new Rng(8);
    const X = rand(rng, 8, 2);
    const gp = new GpSurrogate();
    await gp.fit({ X, y: X.map((x) => x[0]) }, new Rng(1));
    const x = [[0.33, 0.77]];
    const m = gp.posterior(x).mean[0];
    const c = gp.condition(x, [m]);
    expect(c.hyperparameters).toEqual(gp.hyperparameters);
    expect(c.posterior(x).mean[0]).toBeCloseTo(m, 6);
    expect(c.posterior(x).variance[0]).toBeLessThan(gp.posterior(x).variance[0]);
  });
});

describe("GP hyperparameter priors", () => {
  it("the dimension-scaled prior's gradient matches finite differences and it favours longer lengthscales", async () => {
    const { DIMENSION_SCALED_PRIORS } = await import("../../src/bo/gp/priors.js");
    const rng = new Rng(4);
    const d = 3;
    const X = Float64Array.from(rand(rng, 10, d).flat());
    const y = Float64Array.from({ length: 10 }, () => rng.normal());
    const theta = [-1, -0.5, 0, 0.3, -3];
    expectGradientMatchesCentralDifferences((t) => logMarginalLikelihood(X, y, d, t, DIMENSION_SCALED_PRIORS), theta);
    const pts = rand(new Rng(5), 8, 3);
    const data = { X: pts, y: pts.map((x) => x[0] + 0.1 * x[1]) };
    const classic = await new GpSurrogate().fit(data, new Rng(1));
    const scaled = await new GpSurrogate({ priors: "dimension-scaled" }).fit(data, new Rng(1));
    expect((scaled.meta.lengthscales as number[])[2]).toBeGreaterThan((classic.meta.lengthscales as number[])[2]);
  });
});
