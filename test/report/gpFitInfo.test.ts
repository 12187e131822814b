import { describe, expect, it } from "vitest";
import { GpSurrogate } from "../../src/bo/gp/gpSurrogate.js";
import { GpModel } from "../../src/bo/gp/gp.js";
import type { ExperimentRecord } from "../../src/bo/campaign/journal.js";
import { normalize, type SearchSpace } from "../../src/bo/problem/space.js";
import { Rng } from "../../src/core/rng.js";
import { gpFitViews, gpLeaveOneOut } from "../../src/report/gpFitInfo.js";
import { gpFitSection } from "../../src/report/gpFitSection.js";

const space: SearchSpace = {
  inputs: [
    { name: "T", unit: "degC", bounds: [100, 200] },
    { name: "F", unit: "uL/min", bounds: [0, 50] },
  ],
};

/** n measured experiments of a smooth noisy function, then the GP fit the next proposal followed, as a store holds them. */
async function campaign(n: number, mean: "constant" | "linear") {
  const rng = new Rng(11);
  const experiments: ExperimentRecord[] = Array.from({ length: n }, (_, i) => {
    const condition = { T: rng.range(100, 200), F: rng.range(0, 50) };
    const objective = Math.sin(condition.T / 30) + 0.02 * condition.F + 0.05 * rng.normal();
    return {
      index: i,
      phase: "init",
      source: "lab",
      status: "done",
      condition,
      setPoints: {},
      measurement: { condition, setPoints: {}, outcomes: {}, objective, startedAt: 0, finishedAt: 1 },
    };
  });
  const X = experiments.map((e) => normalize(space, [e.condition.T, e.condition.F]));
  const info = await new GpSurrogate({ mean }).fit({ X, y: experiments.map((e) => e.measurement!.objective) }, new Rng(2));
  return { experiments, X, fit: { ...info, index: n, surrogate: "gp" } };
}

describe("GP fit of a campaign report", () => {
  it("length scales in the inputs' units; leave-one-out equals refitting without each point", async () => {
    const { experiments, X, fit } = await campaign(14, "constant");
    const [v] = gpFitViews([fit], space);
    const ls = fit.meta.lengthscales as number[];
    expect(v.lengthScales.map((l) => l.value)).toEqual([ls[0] * 100, ls[1] * 50]);
    expect(v.lengthScales[1].unit).toBe("uL/min");
    const loo = gpLeaveOneOut(v, experiments, space);
    if ("unavailable" in loo) throw new Error(loo.unavailable);
    // Brute force: the same GP (hyper-parameters and standardisation held) on the other n-1 points.
    const y = experiments.map((e) => e.measurement!.objective);
    const m = y.reduce((a, b) => a + b, 0) / y.length;
    const s = Math.sqrt(y.reduce((a, b) => a + (b - m) ** 2, 0) / (y.length - 1));
    const hp = { lengthscales: ls, outputscale: (fit.meta.outputscale as number) / s ** 2, noise: (fit.meta.noiseVariance as number) / s ** 2 };
    for (const i of [0, 5, 13]) {
      const keep = y.map((_, k) => k).filter((k) => k !== i);
      const g = new GpModel(
        Float64Array.from(keep.flatMap((k) => X[k])),
        Float64Array.from(keep, (k) => (y[k] - m) / s),
        2,
        hp,
      );
      const p = g.predict(Float64Array.from(X[i]));
      expect(loo.predicted[i]).toBeCloseTo(m + s * p.mean[0], 8);
      expect(loo.std[i]).toBeCloseTo(s * Math.sqrt(p.variance[0] + hp.noise), 8);
    }
    expect(loo.r2).toBeGreaterThan(0.5);
  });

  it("a linear prior mean is rebuilt too; data that do not match the fit give a reason, not numbers", async () => {
    const { experiments, fit } = await campaign(12, "linear");
    const [v] = gpFitViews([fit], space);
    expect(v.priorMean).toBe("linear");
    expect("unavailable" in gpLeaveOneOut(v, experiments, space)).toBe(false);
    const changed = experiments.map((e, i) => (i === 3 ? { ...e, measurement: { ...e.measurement!, objective: e.measurement!.objective + 1 } } : e));
    expect(gpLeaveOneOut(v, changed, space)).toMatchObject({ unavailable: expect.stringMatching(/do not reproduce the stored fit/) });
    expect(gpLeaveOneOut(v, experiments.slice(1), space)).toMatchObject({ unavailable: expect.stringMatching(/saw 12 observations/) });
  });

  it("no section for a campaign without a GP (ENN fits)", async () => {
    const enn = { index: 5, surrogate: "enn", seconds: 1, warnings: [], meta: { members: 20, epochs: 200 } };
    expect(await gpFitSection([enn], [], space, "y")).toBeUndefined();
  });
});
