import { beforeAll, describe, expect, it } from "vitest";
import { SimulatedLab } from "../../src/sim/simulatedLab.js";
import { crossContamination, stability } from "../../src/sim/characterization.js";
import { loadTwin } from "../../src/twin/loadTwin.js";
import { resolveTwinPath } from "../../src/twin/dataPaths.js";
import { DeviceError } from "../../src/core/errors.js";
import type { Twin } from "../../src/twin/twin.js";
import type { Condition } from "../../src/twin/space.js";

let twin: Twin;
beforeAll(async () => {
  twin = await loadTwin(resolveTwinPath("chem1"));
});
const C: Condition = { T: 160, CuI: 100, ZnI2: 100, CsOA: 40, ODE: 250 };

describe("stability (Fig. 3A)", () => {
  it("features rise from a blank cell and are steady after 2 tau", async () => {
    const lab = new SimulatedLab(twin, { noise: "none" });
    const r = await stability(lab, C, { duration_s: 600, interval_s: 20 });
    const truth = lab.trueFeatures([C]).abs300[0];
    expect(r.samples[0].abs300).toBeLessThan(0.05 * truth);
    const after = r.samples.filter((s) => s.t_s >= 2 * r.tau_s);
    expect(after.length).toBeGreaterThan(10);
    for (const s of after) expect(Math.abs(s.abs300 / truth - 1)).toBeLessThan(0.01);
    const before = r.samples.filter((s) => s.t_s < 0.8 * r.tau_s);
    for (const s of before) expect(s.abs300).toBeLessThan(0.5 * truth);
    expect(r.rsdAfter2Tau.abs300).toBeLessThan(0.005);
  });

  it("with measured noise the steady RSDs are those of the paper within sampling error", async () => {
    const lab = new SimulatedLab(twin, { seed: 1 });
    const r = await stability(lab, C, { duration_s: 1800 });
    expect(r.rsdAfter2Tau.abs300).toBeGreaterThan(0.022);
    expect(r.rsdAfter2Tau.abs300).toBeLessThan(0.042);
    expect(r.rsdAfter2Tau.peak446).toBeGreaterThan(0.04);
    expect(r.rsdAfter2Tau.peak446).toBeLessThan(0.066);
    expect(r.rsdAfter2Tau.pla).toBeGreaterThan(0.031);
    expect(r.rsdAfter2Tau.pla).toBeLessThan(0.056);
  });
});

describe("cross-contamination (Fig. 3B)", () => {
  it("without noise the reference comes back within carry-over (< 0.5 %)", async () => {
    const lab = new SimulatedLab(twin, { noise: "none" });
    const r = await crossContamination(lab, C, { randomConditions: 4 });
    expect(r.runs.filter((u) => u.isReference).length).toBe(5);
    expect(r.rsdReference.abs300).toBeLessThan(0.005);
    expect(r.rsdReference.pla).toBeLessThan(0.005);
  });

  it("more carry-over shows up as a larger reference spread", async () => {
    const spread = async (carryOverFraction: number, waitResidenceTimes: number) => {
      const lab = new SimulatedLab(twin, { noise: "none", params: { transient: { carryOverFraction, waitResidenceTimes } } });
      return (await crossContamination(lab, C, { randomConditions: 4 })).rsdReference.pla;
    };
    expect(await spread(0.3, 1.2)).toBeGreaterThan(3 * (await spread(0.03, 2)));
  });
});

describe("heater that cannot reach its set point", () => {
  it("the experiment fails with a DeviceError naming the heater, not a wrong measurement", async () => {
    const lab = new SimulatedLab(twin, { noise: "none", params: { heater: { fullPowerTemperature_degC: 140 } } });
    const p = lab.run(C);
    await expect(p).rejects.toBeInstanceOf(DeviceError);
    await expect(lab.run(C)).rejects.toThrow(/heater:plate: did not reach 160 degC within 3600 s/);
  });
});
