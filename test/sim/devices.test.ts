import { describe, expect, it } from "vitest";
import { describeHeaterConformance, describePumpConformance, describeSpectrometerConformance } from "../hil/conformance.js";
import { SimulatedLab } from "../../src/sim/simulatedLab.js";
import { SyringeEmptyError } from "../../src/core/errors.js";
import { loadTwin } from "../../src/twin/loadTwin.js";
import { resolveTwinPath } from "../../src/twin/dataPaths.js";
import type { Twin } from "../../src/twin/twin.js";

let twin: Twin | undefined;
async function lab(o: ConstructorParameters<typeof SimulatedLab>[1] = {}): Promise<SimulatedLab> {
  twin ??= await loadTwin(resolveTwinPath("chem1"));
  return new SimulatedLab(twin, { mode: "physics", seed: 3, ...o });
}

describePumpConformance("VirtualPump", async () => {
  const l = await lab();
  return { pump: l.devices!.pumps.CuI, clock: l.clock, close: () => l.close() };
});

describeHeaterConformance("VirtualHeater", async () => {
  const l = await lab({ initialPlate_degC: 150 });
  return { heater: l.devices!.heater, clock: l.clock, settle_s: 900, tolerance_degC: 0.5, close: () => l.close() };
});

for (const kind of ["absSpectrometer", "plSpectrometer"] as const) {
  describeSpectrometerConformance(`VirtualSpectrometer (${kind})`, async () => {
    const l = await lab();
    return { spectrometer: l.devices![kind], clock: l.clock, close: () => l.close() };
  });
}

describe("virtual pump syringe", () => {
  it("runs dry: stops with status empty, then refuses to start with a SyringeEmptyError", async () => {
    const l = await lab({ params: { syringes: { CuI_uL: 500 } }, autoRefill: false });
    const pump = l.devices!.pumps.CuI;
    await pump.set(100);
    await l.clock.sleep(6 * 60);
    const r = await pump.read();
    expect(r.status.value).toBe("empty");
    expect(r.rate_uL_min.value).toBe(0);
    expect(r.dispensed_uL.value).toBe(500);
    expect(r.remaining_uL.value).toBe(0);
    await expect(pump.set(100)).rejects.toBeInstanceOf(SyringeEmptyError);
    await expect(pump.set(100)).rejects.toThrow(/pump:CuI: syringe is empty/);
    pump.refill();
    await pump.set(100);
    expect((await pump.read()).status.value).toBe("running");
  });

  it("an experiment whose syringe runs out fails with a device error instead of measuring", async () => {
    const l = await lab({ params: { syringes: { PFO_uL: 600 } }, autoRefill: false, noise: "none" });
    await expect(l.run({ T: 150, CuI: 100, ZnI2: 100, CsOA: 50, ODE: 250 })).rejects.toThrow(/stream PFO is empty before the acquisition/);
  });
});
