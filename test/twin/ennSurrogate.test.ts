import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { SdflError } from "../../src/core/errors.js";
import { loadDataset } from "../../src/twin/dataset.js";
import { resolveDatasetDir } from "../../src/twin/dataPaths.js";
import { DEFAULT_SPACE, normalize } from "../../src/twin/space.js";
import { EnnSurrogate, ennSurrogateFactory } from "../../src/twin/ennSurrogate.js";
import { FAST_SCHEDULE } from "../../src/twin/enn/schedule.js";
import type { Observations } from "../../src/bo/surrogate.js";

const ds = loadDataset(resolveDatasetDir("chem3"));
const obs = (k: number): Observations => ({
  X: ds.X.slice(0, k).map((x) => normalize(DEFAULT_SPACE, x)),
  y: ds.plqy.slice(0, k),
  outcomes: { abs300: ds.abs.slice(0, k), pla: ds.pla.slice(0, k) },
});
const PAPER_BOX = DEFAULT_SPACE.inputs.map((s) => s.bounds);
const quick = { members: 4, workers: 1, schedule: { ...FAST_SCHEDULE, maxEpochs: 80 }, warmSchedule: { ...FAST_SCHEDULE, maxEpochs: 20, patience: 5 } };

describe("ENN surrogate", () => {
  it("posterior: mean over members of per-member PLQY, calibrated variance (scaled spread + noise); samples are members", async () => {
    const s = ennSurrogateFactory(quick)() as EnnSurrogate;
    const info = await s.fit(obs(40), new Rng(1));
    expect(info.meta.warm).toBe(false);
    const X = obs(50).X.slice(40);
    const p = s.posterior(X);
    const members = p.sample(100, new Rng(2));
    expect(members).toHaveLength(4);
    for (let i = 0; i < X.length; i++) {
      const v = members.map((m) => m[i]);
      const mean = v.reduce((a, b) => a + b) / 4;
      const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / 3;
      expect(p.mean[i]).toBeCloseTo(mean, 12);
      // Samples carry the scaled member spread; the variance adds the measurement noise.
      expect(p.variance[i]).toBeCloseTo(variance + s.calibration!.noiseVar + (s.calibration!.relVar ?? 0) * mean * mean, 14);
      expect(p.variance[i]).toBeGreaterThan(0);
      expect(p.variance[i]).toBeGreaterThanOrEqual(0);
    }
    expect(p.sample(2, new Rng(3))).toHaveLength(2);
    s.dispose();
  });

  it("warm-starts refits from the previous members and is deterministic for the rng", async () => {
    const run = async () => {
      const s = new EnnSurrogate(quick);
      const rng = new Rng(5);
      await s.fit(obs(40), rng);
      const info = await s.fit(obs(41), rng);
      const m = s.posterior(obs(45).X.slice(41)).mean;
      s.dispose();
      return { info, m: Array.from(m) };
    };
    const a = await run();
    const b = await run();
    expect(a.info.meta.warm).toBe(true);
    expect(a.info.meta.memberEpochs).toBeLessThanOrEqual(4 * 20);
    expect(a.m).toEqual(b.m);
  });

  it.each([
    ["inputs", quick],
    ["flow-fraction features", { ...quick, schedule: { ...quick.schedule, features: "flow-fractions" as const }, physicalBounds: PAPER_BOX }],
    // Cross-fitted members (2 out of bag per row) and edge slabs: an extrapolation term; the points (rows 40-45) lie beyond the fitted rows in T.
    [
      "flow-fraction features, extrapolation term",
      {
        ...quick,
        schedule: { ...quick.schedule, features: "flow-fractions" as const, split: "folds" as const, folds: 2, slabs: 0.17 },
        physicalBounds: PAPER_BOX,
      },
    ],
  ])("posteriorGradient matches the posterior and its finite differences (%s)", async (_, opts) => {
    const s = new EnnSurrogate(opts);
    const info = await s.fit(obs(40), new Rng(9));
    expect(info.meta.features).toBe(opts.schedule.features ?? "inputs");
    if ("slabs" in opts.schedule) expect(s.calibration?.extrapolation).toBeGreaterThan(0);
    const X = obs(46).X.slice(40);
    const g = s.posteriorGradient(X);
    const p = s.posterior(X);
    X.forEach((_, i) => {
      expect(g.mean[i]).toBeCloseTo(p.mean[i], 12);
      expect(g.variance[i]).toBeCloseTo(p.variance[i], 14);
    });
    const h = 1e-6;
    for (let i = 0; i < X.length; i++)
      for (let j = 0; j < 5; j++) {
        const up = X[i].slice();
        up[j] += h;
        const dn = X[i].slice();
        dn[j] -= h;
        const a = s.posterior([up]),
          b = s.posterior([dn]);
        const fdMean = (a.mean[0] - b.mean[0]) / (2 * h);
        const fdVar = (a.variance[0] - b.variance[0]) / (2 * h);
        expect(Math.abs(fdMean - g.dMean[i * 5 + j])).toBeLessThan(1e-6 + 1e-4 * Math.abs(fdMean));
        expect(Math.abs(fdVar - g.dVariance[i * 5 + j])).toBeLessThan(1e-9 + 1e-4 * Math.abs(fdVar));
      }
    s.dispose();
  });

  it("a warm refit trains no edge-slab members and keeps the cold fit's extrapolation factor", async () => {
    const schedule = { ...quick.schedule, features: "flow-fractions" as const, split: "folds" as const, folds: 2, slabs: 0.17 };
    const s = new EnnSurrogate({ ...quick, schedule, physicalBounds: PAPER_BOX });
    const rng = new Rng(9);
    await s.fit(obs(40), rng);
    const cold = s.calibration!.extrapolation!;
    expect(cold).toBeGreaterThan(0);
    const info = await s.fit(obs(46), rng);
    expect(info.meta.warm).toBe(true);
    expect(s.calibration!.extrapolation).toBe(cold);
    expect(s.calibration!.scale).toBeGreaterThan(0);
    s.dispose();
  });

  it("without a physical box of its dimension the ENN is fitted on the inputs even when the schedule asks for flow fractions", async () => {
    const fractions = { ...quick.schedule, features: "flow-fractions" as const };
    const o = obs(30);
    // Three inputs with the paper's five-input box: no flows to take fractions of.
    const s = new EnnSurrogate({ ...quick, schedule: fractions, physicalBounds: PAPER_BOX });
    expect((await s.fit({ ...o, X: o.X.map((x) => x.slice(0, 3)) }, new Rng(4))).meta.features).toBe("inputs");
    s.dispose();
    // Five inputs but no box given (another five-input problem): the inputs too.
    const t = new EnnSurrogate({ ...quick, schedule: fractions });
    expect((await t.fit(o, new Rng(4))).meta.features).toBe("inputs");
    t.dispose();
  });

  it("needs the measured features", async () => {
    const s = new EnnSurrogate(quick);
    await expect(s.fit({ X: [[0.5, 0.5, 0.5, 0.5, 0.5]], y: [0.1] }, new Rng(1))).rejects.toThrow(SdflError);
  });
});
