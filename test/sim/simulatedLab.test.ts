import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { SimulatedLab } from "../../src/sim/simulatedLab.js";
import { parseNoiseSpec } from "../../src/sim/noise.js";
import { loadTwin } from "../../src/twin/loadTwin.js";
import { resolveTwinPath } from "../../src/twin/dataPaths.js";
import { DEFAULT_SPACE, paperCondition, type Condition } from "../../src/twin/space.js";
import { BoundsError, UsageError } from "../../src/core/errors.js";
import { isBenchmarkLab } from "../../src/bo/lab.js";
import type { Twin, TwinPosterior } from "../../src/twin/twin.js";
import { mean, rsd } from "../../src/sim/stats.js";

let twin: Twin;
beforeAll(async () => {
  twin = await loadTwin(resolveTwinPath("chem1"));
});

const condition = fc.tuple(...DEFAULT_SPACE.inputs.map((s) => fc.double({ min: s.bounds[0], max: s.bounds[1], noNaN: true }))).map((x) => paperCondition(x));
const C: Condition = { T: 160, CuI: 100, ZnI2: 100, CsOA: 40, ODE: 250 };

/** A twin that counts predict calls. */
function counting(t: Twin): Twin & { calls: number } {
  const w = {
    ...t,
    calls: 0,
    inputs: t.inputs,
    inputBounds: t.inputBounds,
    memberCount: t.memberCount,
    plqyReference: t.plqyReference,
    source: t.source,
    predict(points: readonly (readonly number[])[]): TwinPosterior {
      w.calls++;
      return t.predict(points);
    },
    dispose() {},
  };
  return w;
}

describe("SimulatedLab, steady mode", () => {
  it("is a BenchmarkLab", () => {
    expect(isBenchmarkLab(new SimulatedLab(twin, { mode: "steady" }))).toBe(true);
  });

  it("noise-free measure equals evaluateTrue exactly (property)", async () => {
    const lab = new SimulatedLab(twin, { mode: "steady", noise: "none" });
    await fc.assert(
      fc.asyncProperty(condition, async (c) => {
        const m = await lab.run(c);
        expect(m.objective).toBe(lab.evaluateTrue([c])[0]);
        expect(m.meta?.truePlqy).toBe(m.objective);
      }),
      { numRuns: 20 },
    );
  });

  it("evaluateTrue is the twin's ensemble-mean features through the PLQY proxy, one twin call per batch", () => {
    const t = counting(twin);
    const lab = new SimulatedLab(t, { mode: "steady" });
    const conds = Array.from({ length: 300 }, (_, i) => ({ ...C, T: 120 + (60 * i) / 299 }));
    const v = lab.evaluateTrue(conds);
    expect(t.calls).toBe(1);
    const post = twin.predict(conds.map((c) => [c.T, c.CuI, c.ZnI2, c.CsOA, c.ODE]));
    const f = lab.trueFeatures(conds);
    expect(f.abs300[17]).toBeCloseTo(post.absMean[17], 12);
    expect(v[17]).toBeGreaterThan(0);
    lab.measureBatch(conds);
    expect(t.calls).toBe(3);
  });

  it("one ensemble member can be the truth", () => {
    const lab = new SimulatedLab(twin, { mode: "steady", truth: 4 });
    const post = twin.predict([[C.T, C.CuI, C.ZnI2, C.CsOA, C.ODE]]);
    expect(lab.trueFeatures([C]).pla[0]).toBeCloseTo(post.pla[4], 9);
    expect(() => new SimulatedLab(twin, { truth: 20 })).toThrow(/truth member 20 does not exist/);
  });

  it("is deterministic under a seed, and the seed matters", async () => {
    const run = async (seed: number) => {
      const lab = new SimulatedLab(twin, { mode: "steady", seed });
      return [await lab.run(C), await lab.run(C)].map((m) => m.objective);
    };
    expect(await run(5)).toEqual(await run(5));
    expect(await run(5)).not.toEqual(await run(6));
  });

  it("--noise R is a relative std R on the objective; measured noise has the paper's feature RSDs", () => {
    const conds = Array.from({ length: 1500 }, () => C);
    const truth = new SimulatedLab(twin, { mode: "steady" }).evaluateTrue([C])[0];
    const obj = new SimulatedLab(twin, { mode: "steady", noise: "0.04", seed: 1 }).measureBatch(conds);
    expect(rsd(obj.map((m) => m.objective))).toBeGreaterThan(0.037);
    expect(rsd(obj.map((m) => m.objective))).toBeLessThan(0.043);
    expect(mean(obj.map((m) => m.objective)) / truth).toBeCloseTo(1, 2);
    expect(obj.every((m) => m.outcomes.abs300 === obj[0].outcomes.abs300)).toBe(true);
    const meas = new SimulatedLab(twin, { mode: "steady", noise: "measured", seed: 2 }).measureBatch(conds);
    expect(rsd(meas.map((m) => m.outcomes.abs300))).toBeCloseTo(0.031, 2);
    expect(rsd(meas.map((m) => m.outcomes.peak446!))).toBeGreaterThan(0.045);
    expect(rsd(meas.map((m) => m.outcomes.peak446!))).toBeLessThan(0.06);
    expect(rsd(meas.map((m) => m.outcomes.pla))).toBeGreaterThan(0.038);
    expect(rsd(meas.map((m) => m.outcomes.pla))).toBeLessThan(0.048);
  });

  it("refuses conditions outside the search space, naming field, unit and range", async () => {
    const lab = new SimulatedLab(twin, { mode: "steady" });
    await expect(lab.run({ ...C, CsOA: 90 })).rejects.toBeInstanceOf(BoundsError);
    await expect(lab.run({ ...C, CsOA: 90 })).rejects.toThrow(/CsOA = 90 uL\/min is outside the allowed range 20 to 80 uL\/min/);
    await expect(lab.run({ ...C, T: NaN })).rejects.toThrow(/T = NaN degC/);
  });
});

describe("SimulatedLab, physics mode", () => {
  it("noise-free, after a long wait, a measurement equals evaluateTrue at steady state", async () => {
    const lab = new SimulatedLab(twin, { noise: "none", params: { transient: { waitResidenceTimes: 12 } } });
    for (const c of [C, { ...C, T: 130, CsOA: 70 }]) {
      const m = await lab.run(c);
      // Left: the plate's last 0.02 degC of approach (chemistry is re-evaluated per 0.02 degC).
      expect(Math.abs(m.objective / lab.evaluateTrue([c])[0] - 1)).toBeLessThan(2e-4);
      expect(Math.abs(m.outcomes.abs300 / lab.trueFeatures([c]).abs300[0] - 1)).toBeLessThan(2e-4);
    }
  });

  it("with the original 2 tau wait the noise-free result is within 1 % of the steady state", async () => {
    const lab = new SimulatedLab(twin, { noise: "none" });
    for (const c of [C, { ...C, T: 125, CuI: 80, ODE: 220 }]) {
      const m = await lab.run(c);
      expect(Math.abs(m.objective / lab.evaluateTrue([c])[0] - 1)).toBeLessThan(0.01);
      expect(m.finishedAt).toBeGreaterThan(m.startedAt + 2 * (m.meta!.tau_s as number));
    }
  });

  it("is deterministic under a seed (devices, drift, detector noise)", async () => {
    const run = async (seed: number) => {
      const lab = new SimulatedLab(twin, { seed });
      return [await lab.run(C), await lab.run({ ...C, T: 140 })].map((m) => [m.outcomes.abs300, m.outcomes.pla, m.outcomes.peak446]);
    };
    expect(await run(11)).toEqual(await run(11));
    expect(await run(11)).not.toEqual(await run(12));
  });

  it("an aborted run rejects with the signal's reason", async () => {
    const lab = new SimulatedLab(twin, { noise: "none" });
    const ac = new AbortController();
    const p = lab.run(C, ac.signal);
    ac.abort(new Error("operator abort"));
    await expect(p).rejects.toThrow(/operator abort/);
  });

  it("close() stops the pumps and makes the heater safe", async () => {
    const lab = new SimulatedLab(twin, { noise: "none" });
    await lab.run(C);
    await lab.close();
    const d = lab.devices!;
    for (const p of Object.values(d.pumps)) expect((await p.read()).rate_uL_min.value).toBe(0);
    expect((await d.heater.read()).setPoint_degC.value).toBe(d.heater.limits.safeSetPoint_degC);
  });
});

describe("noise option", () => {
  it("parses measured, none, a bare number (objective), objective:R, features:R", () => {
    expect(parseNoiseSpec("measured")).toEqual({ kind: "measured" });
    expect(parseNoiseSpec("none")).toEqual({ kind: "none" });
    expect(parseNoiseSpec("0")).toEqual({ kind: "none" });
    expect(parseNoiseSpec("0.04")).toEqual({ kind: "objective", rsd: 0.04 });
    expect(parseNoiseSpec("features:0.05")).toEqual({ kind: "features", rsd: 0.05 });
    expect(() => parseNoiseSpec("loud")).toThrow(UsageError);
    expect(() => parseNoiseSpec("2")).toThrow(/noise "2" is not understood/);
  });
});
