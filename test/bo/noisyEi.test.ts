import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rng } from "../../src/core/rng.js";
import { expectedImprovement, normCdf, normQuantile } from "../../src/bo/acquisition/index.js";
import {
  logNoisyEiFromSamples,
  logSoftplus,
  memberJointSampler,
  noisyEiObjective,
  noisyEiSampler,
  pruneBaseline,
  qmcNormalSamples,
} from "../../src/bo/acquisition/noisyEi.js";
import { GpSurrogate } from "../../src/bo/gp/gpSurrogate.js";
import { ensemblePosterior } from "../../src/bo/ensemble/ensemblePosterior.js";
import type { Observations, Surrogate } from "../../src/bo/surrogate.js";

/** A GP fitted to n points of a smooth 3-D function, noise fixed at `noiseVariance`. */
async function fittedGp(seed: number, n: number, noiseVariance: number, noise = 0): Promise<{ gp: GpSurrogate; data: Observations }> {
  const rng = new Rng(seed);
  const X = Array.from({ length: n }, () => [rng.uniform(), rng.uniform(), rng.uniform()]);
  const f = (x: number[]): number => Math.sin(3 * x[0]) + Math.cos(2 * x[1]) * x[2];
  const y = X.map((x) => f(x) + noise * rng.normal());
  const gp = new GpSurrogate({ fixedNoiseVariance: noiseVariance, restarts: 1, maxIterations: 40 });
  const data = { X, y };
  await gp.fit(data, rng.fork());
  return { gp, data };
}

describe("normal quantile", () => {
  it("inverts normCdf to full precision over the whole range", () => {
    expect(normQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normQuantile(0.5)).toBe(0);
    expect(normQuantile(0)).toBe(-Infinity);
    expect(normQuantile(1)).toBe(Infinity);
    fc.assert(
      // Lower half: p = Phi(z) is exact there; the upper half by symmetry (1 - p rounds).
      fc.property(fc.double({ min: -30, max: 0, noNaN: true }), (z) => {
        const p = normCdf(z);
        expect(Math.abs(normQuantile(p) - z)).toBeLessThan(1e-12 * Math.max(1, Math.abs(z)));
        if (p > 1e-3) expect(normQuantile(1 - p)).toBeCloseTo(-z, 10);
      }),
    );
  });

  it("quasi-random base samples have mean 0 and variance 1", () => {
    const e = qmcNormalSamples(1024, 5, new Rng(3));
    for (let j = 0; j < 5; j++) {
      const v = e.map((r) => r[j]);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const s2 = v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
      expect(Math.abs(m)).toBeLessThan(0.01);
      expect(Math.abs(s2 - 1)).toBeLessThan(0.03);
    }
  });
});

describe("log noisy EI from samples", () => {
  it("log-softplus is increasing, about log z above tau and z / tau + log tau below", () => {
    expect(logSoftplus(0.3, 1e-6)).toBeCloseTo(Math.log(0.3), 10);
    expect(logSoftplus(-0.3, 1e-6)).toBeCloseTo(-0.3 / 1e-6 + Math.log(1e-6), 6);
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 1e-9, max: 1, noNaN: true }), (z, dz) => {
        expect(logSoftplus(z + dz, 1e-3)).toBeGreaterThan(logSoftplus(z, 1e-3));
      }),
    );
  });

  it("is monotone in the candidate's samples (so in its posterior mean, base samples fixed)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })), { minLength: 1, maxLength: 64 }),
        fc.double({ min: 1e-6, max: 2, noNaN: true }),
        fc.double({ min: 1e-6, max: 0.1, noNaN: true }),
        (pairs, shift, tau) => {
          const f = pairs.map((p) => p[0]);
          const M = pairs.map((p) => p[1]);
          const before = logNoisyEiFromSamples(f, 0, M, tau);
          const after = logNoisyEiFromSamples(
            f.map((v) => v + shift),
            0,
            M,
            tau,
          );
          expect(after).toBeGreaterThan(before);
        },
      ),
    );
  });

  it("is the log of the mean improvement when every sample improves by much more than tau", () => {
    const f = [1, 2, 3, 4];
    const M = [0.5, 0.5, 0.5, 0.5];
    expect(Math.exp(logNoisyEiFromSamples(f, 0, M, 1e-9))).toBeCloseTo(2, 8);
  });
});

describe("joint samples of the GP", () => {
  it("a candidate at a baseline point gets exactly the baseline's samples (the samples are joint)", async () => {
    const { gp, data } = await fittedGp(1, 20, 1e-2, 0.1);
    const b = [data.X[4]];
    const s = gp.jointSampler(b, 64, new Rng(2));
    const at = s.candidates(b);
    for (let k = 0; k < 64; k++) expect(at[k]).toBeCloseTo(s.baselineMax[k], 6);
  });

  it("candidate samples have the posterior's mean and variance, and the right correlation with the baseline", async () => {
    const { gp, data } = await fittedGp(4, 15, 1e-2, 0.1);
    const base = [data.X[0]];
    const x = [0.5, 0.45, 0.55];
    const s = gp.jointSampler(base, 2048, new Rng(5));
    const fx = s.candidates([x]);
    const fb = s.baselineMax;
    const mean = (v: ArrayLike<number>): number => Array.from(v).reduce((a, c) => a + c, 0) / v.length;
    const cov = (u: ArrayLike<number>, v: ArrayLike<number>): number => {
      const mu = mean(u);
      const mv = mean(v);
      return Array.from(u).reduce((a, c, i) => a + (c - mu) * (v[i] - mv), 0) / (u.length - 1);
    };
    const joint = gp.posterior([x, base[0]]);
    const jointCov = joint.sample(4000, new Rng(6));
    const exactVar = joint.variance[0];
    expect(mean(fx)).toBeCloseTo(joint.mean[0], 2);
    expect(cov(fx, fx) / exactVar).toBeGreaterThan(0.95);
    expect(cov(fx, fx) / exactVar).toBeLessThan(1.05);
    // Cross-covariance against an independent estimate from the posterior's own joint sampler.
    const ref = cov(
      jointCov.map((v) => v[0]),
      jointCov.map((v) => v[1]),
    );
    expect(Math.abs(cov(fx, fb) - ref)).toBeLessThan(0.1 * Math.sqrt(exactVar * joint.variance[1]) + 1e-9);
  });

  it("noiseless limit: the noisy EI is the EI on the best observed value", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), async (seed) => {
        const { gp, data } = await fittedGp(seed, 12, 1e-10);
        const best = Math.max(...data.y);
        const sampler = noisyEiSampler(gp, data.X, new Rng(seed + 1), 2048)!;
        // Noise-free: the model interpolates, so every baseline sample's maximum is the best reading.
        for (const m of sampler.baselineMax) expect(m).toBeCloseTo(best, 3);
        const rng = new Rng(seed + 2);
        const X = Array.from({ length: 4 }, () => [rng.uniform(), rng.uniform(), rng.uniform()]);
        const acq = noisyEiObjective(sampler, 1e-9).value(X);
        const p = gp.posterior(X);
        for (let i = 0; i < X.length; i++) {
          const sigma = Math.sqrt(p.variance[i]);
          const ei = expectedImprovement(p.mean[i], sigma, best);
          if (ei < 0.05 * sigma) continue; // few samples improve far in the tail: large relative Monte Carlo error there
          expect(Math.abs(Math.exp(acq[i]) - ei) / ei).toBeLessThan(0.05);
        }
      }),
      { numRuns: 6 },
    );
  });

  it("with noisy data the incumbent is integrated over: the baseline maxima spread, no single reading sets them", async () => {
    const { gp, data } = await fittedGp(7, 25, 0.04, 0.2);
    const sampler = noisyEiSampler(gp, data.X, new Rng(8), 512)!;
    const m = Array.from(sampler.baselineMax);
    expect(Math.max(...m) - Math.min(...m)).toBeGreaterThan(0.01);
    expect(m.some((v) => Math.abs(v - Math.max(...data.y)) < 1e-6)).toBe(false);
  });

  it("a larger declared noise level makes the incumbent more uncertain (wider spread of the baseline maxima)", async () => {
    const spread = async (noiseVariance: number): Promise<number> => {
      const { gp, data } = await fittedGp(11, 25, noiseVariance, 0.1);
      const m = Array.from(noisyEiSampler(gp, data.X, new Rng(12), 512)!.baselineMax);
      const mean = m.reduce((a, b) => a + b, 0) / m.length;
      return Math.sqrt(m.reduce((a, b) => a + (b - mean) ** 2, 0) / (m.length - 1));
    };
    expect(await spread(0.05)).toBeGreaterThan(2 * (await spread(1e-4)));
  });

  it("baseline pruning keeps the points that can be the best, most likely first", async () => {
    const { gp, data } = await fittedGp(9, 30, 0.01, 0.1);
    const keep = pruneBaseline(gp, data.X, new Rng(1), 20, 256);
    expect(keep.length).toBeGreaterThan(0);
    expect(keep.length).toBeLessThanOrEqual(20);
    const mean = gp.posterior(data.X).mean;
    const argmax = Array.from(mean).indexOf(Math.max(...mean));
    expect(keep).toContain(argmax);
  });
});

describe("joint samples of an ensemble", () => {
  it("are its members: the noisy EI is the members' mean improvement over their own best at the baseline", () => {
    // Three members, each a known function of x[0].
    const members = [(x: number) => x, (x: number) => 1 - x, (x: number) => 0.5 + 0 * x];
    const ens: Surrogate = {
      name: "ens",
      fit: async () => ({ seconds: 0, meta: {}, warnings: [] }),
      posterior(X) {
        const q = X.length;
        const v = new Float64Array(q * members.length);
        members.forEach((f, k) => X.forEach((x, i) => (v[k * q + i] = f(x[0]))));
        return ensemblePosterior(v, q, members.length);
      },
    };
    const s = memberJointSampler(ens, [[0.2], [0.6]])!;
    expect(Array.from(s.baselineMax)).toEqual([0.6, 0.8, 0.5]);
    const value = Math.exp(noisyEiObjective(s, 1e-12).value([[0.9]])[0]);
    // Improvements: 0.9 - 0.6, max(0, 0.1 - 0.8), 0.5 - 0.5 -> mean 0.1.
    expect(value).toBeCloseTo(0.1, 6);
  });
});
