import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.js";
import { normPdf } from "../../src/bo/acquisition/normal.js";
import { knowledgeGradient, logKnowledgeGradient, upperEnvelope } from "../../src/bo/acquisition/knowledgeGradient.js";
import { knowledgeGradientObjective } from "../../src/bo/acquisition/kgObjective.js";
import { GpSurrogate } from "../../src/bo/gp/gpSurrogate.js";
import { GpModel } from "../../src/bo/gp/gp.js";
import type { CrossCovariance, Posterior, Surrogate } from "../../src/bo/surrogate.js";

/** E_Z[max_i (a_i + b_i Z)] - max a by the trapezoid rule on [-12, 12]. */
function bruteForceKg(a: number[], b: number[]): number {
  const steps = 24000;
  const h = 24 / steps;
  let s = 0;
  for (let k = 0; k <= steps; k++) {
    const z = -12 + k * h;
    let m = -Infinity;
    for (let i = 0; i < a.length; i++) m = Math.max(m, a[i] + b[i] * z);
    s += (k === 0 || k === steps ? 0.5 : 1) * m * normPdf(z);
  }
  return s * h - Math.max(...a);
}

const coef = fc.double({ min: -3, max: 3, noNaN: true });
const lines = fc.array(fc.tuple(coef, coef), { minLength: 1, maxLength: 8 });

describe("knowledge gradient (discrete, correlated beliefs)", () => {
  it("equals E[max] by numerical integration, and its log is its log", () => {
    fc.assert(
      fc.property(lines, (ls) => {
        const a = ls.map((l) => l[0]);
        const b = ls.map((l) => l[1]);
        const kg = knowledgeGradient(a, b);
        expect(kg).toBeGreaterThanOrEqual(0);
        expect(kg).toBeCloseTo(bruteForceKg(a, b), 5);
        if (kg > 1e-250) expect(logKnowledgeGradient(a, b)).toBeCloseTo(Math.log(kg), 8);
        // Where the value underflows to 0 its log stays finite (or -Infinity when it is exactly 0).
        if (kg === 0) expect(logKnowledgeGradient(a, b)).toBeLessThan(-700);
      }),
    );
    // Two lines crossing at 0 with slopes -1 and 1: E|Z| = sqrt(2/pi).
    expect(knowledgeGradient([0, 0], [-1, 1])).toBeCloseTo(Math.sqrt(2 / Math.PI), 14);
  });

  it("the envelope's lines give the same maximum as all lines, with increasing slopes and breakpoints", () => {
    fc.assert(
      fc.property(lines, fc.double({ min: -20, max: 20, noNaN: true }), (ls, z) => {
        const a = ls.map((l) => l[0]);
        const b = ls.map((l) => l[1]);
        const { lines: env, breaks } = upperEnvelope(a, b);
        expect(breaks.length).toBe(env.length - 1);
        for (let k = 1; k < env.length; k++) expect(b[env[k]]).toBeGreaterThan(b[env[k - 1]]);
        for (let k = 1; k < breaks.length; k++) expect(breaks[k]).toBeGreaterThan(breaks[k - 1]);
        const all = Math.max(...a.map((v, i) => v + b[i] * z));
        const top = Math.max(...env.map((i) => a[i] + b[i] * z));
        expect(top).toBeCloseTo(all, 9);
      }),
    );
  });

  it("is 0 when no measurement can change the ranking: equal slopes (all 0 included) or one line", () => {
    fc.assert(
      fc.property(fc.array(coef, { minLength: 1, maxLength: 8 }), coef, (a, slope) => {
        expect(
          knowledgeGradient(
            a,
            a.map(() => slope),
          ),
        ).toBe(0);
        expect(
          knowledgeGradient(
            a,
            a.map(() => 0),
          ),
        ).toBe(0);
      }),
    );
    expect(knowledgeGradient([1], [5])).toBe(0);
  });

  it("does not change when a constant is added to every mean or to every slope", () => {
    fc.assert(
      fc.property(lines, coef, (ls, c) => {
        const a = ls.map((l) => l[0]);
        const b = ls.map((l) => l[1]);
        const kg = knowledgeGradient(a, b);
        expect(
          knowledgeGradient(
            a.map((v) => v + c),
            b,
          ),
        ).toBeCloseTo(kg, 9);
        expect(
          knowledgeGradient(
            a,
            b.map((v) => v + c),
          ),
        ).toBeCloseTo(kg, 9);
      }),
    );
  });

  it("does not decrease when the slopes grow (a less noisy measurement), so it decreases in the noise", () => {
    fc.assert(
      fc.property(lines, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (ls, s, t) => {
        const a = ls.map((l) => l[0]);
        const b = ls.map((l) => l[1]);
        const [lo, hi] = s < t ? [s, t] : [t, s];
        expect(
          knowledgeGradient(
            a,
            b.map((v) => lo * v),
          ),
        ).toBeLessThanOrEqual(
          knowledgeGradient(
            a,
            b.map((v) => hi * v),
          ) + 1e-12,
        );
      }),
    );
  });
});

/** A surrogate with a fixed Gaussian posterior over points on a line (x[0]), squared-exponential covariance. */
function stubSurrogate(noiseVariance: number): Surrogate {
  const k = (x: readonly number[], y: readonly number[]): number => 0.04 * Math.exp(-((x[0] - y[0]) ** 2) / 0.02);
  return {
    name: "stub",
    fit: async () => ({ seconds: 0, meta: {}, warnings: [] }),
    posterior: (X): Posterior => ({
      mean: Float64Array.from(X, (x) => Math.sin(6 * x[0])),
      variance: Float64Array.from(X, (x) => k(x, x)),
      sample: () => [],
    }),
    crossCovariance: (X, A): CrossCovariance => ({
      cross: Float64Array.from(X.flatMap((x) => A.map((y) => k(x, y)))),
      variance: Float64Array.from(X, (x) => k(x, x)),
      noiseVariance,
    }),
  };
}

describe("knowledge-gradient objective", () => {
  it("decreases in the noise variance of the new measurement at every candidate", () => {
    const ref = Array.from({ length: 21 }, (_, i) => [i / 20]);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1e-6, max: 1, noNaN: true }),
        fc.double({ min: 1.01, max: 100 }),
        (x, noise, factor) => {
          const lo = knowledgeGradientObjective(stubSurrogate(noise), ref)!.value([[x]])[0];
          const hi = knowledgeGradientObjective(stubSurrogate(noise * factor), ref)!.value([[x]])[0];
          expect(hi).toBeLessThanOrEqual(lo + 1e-12);
        },
      ),
    );
  });

  it("is undefined without a cross-covariance (the strategy then uses UCB)", () => {
    const s = stubSurrogate(0.01);
    delete (s as { crossCovariance?: unknown }).crossCovariance;
    expect(knowledgeGradientObjective(s, [[0.5]])).toBeUndefined();
  });
});

describe("GP posterior cross-covariance", () => {
  it("GpModel.crossCovariance is the block of the joint posterior covariance", () => {
    const rng = new Rng(5);
    const d = 3;
    const X = Float64Array.from({ length: 12 * d }, () => rng.uniform());
    const y = Float64Array.from({ length: 12 }, () => rng.normal());
    const model = new GpModel(X, y, d, { lengthscales: [0.3, 0.5, 0.8], outputscale: 1.3, noise: 0.01 });
    const Xq = Float64Array.from({ length: 4 * d }, () => rng.uniform());
    const Xb = Float64Array.from({ length: 5 * d }, () => rng.uniform());
    const joint = new Float64Array([...Xq, ...Xb]);
    const C = model.covariance(joint);
    const { cross, variance } = model.crossCovariance(Xq, Xb);
    for (let i = 0; i < 4; i++) {
      expect(variance[i]).toBeCloseTo(C[i * 9 + i], 12);
      for (let k = 0; k < 5; k++) expect(cross[i * 5 + k]).toBeCloseTo(C[i * 9 + 4 + k], 12);
    }
  });

  it("GpSurrogate.crossCovariance matches its posterior variance and its fitted noise, in objective units", async () => {
    const rng = new Rng(9);
    const X = Array.from({ length: 20 }, () => [rng.uniform(), rng.uniform()]);
    const y = X.map((x) => 10 * Math.sin(3 * x[0]) + x[1] + 0.3 * rng.normal());
    const gp = new GpSurrogate();
    const fit = await gp.fit({ X, y }, new Rng(1));
    const Q = Array.from({ length: 6 }, () => [rng.uniform(), rng.uniform()]);
    const c = gp.crossCovariance(Q, Q);
    const p = gp.posterior(Q);
    for (let i = 0; i < Q.length; i++) {
      expect(c.variance[i]).toBeCloseTo(p.variance[i], 9);
      expect(c.cross[i * Q.length + i]).toBeCloseTo(p.variance[i], 9);
      for (let k = 0; k < Q.length; k++) expect(c.cross[i * Q.length + k]).toBeCloseTo(c.cross[k * Q.length + i], 12);
    }
    expect(c.noiseVariance).toBeCloseTo(fit.meta.noiseVariance as number, 12);
  });
});
