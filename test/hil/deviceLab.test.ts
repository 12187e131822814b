import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startRig, type Rig } from "./emulators/rig.js";
import { socatMissing } from "./socat.js";
import { connectLab } from "../../src/hil/connectLab.js";
import { MemoryDeviceLog } from "../../src/hil/deviceLog.js";
import type { DeviceLab } from "../../src/hil/deviceLab.js";
import { BoundsError } from "../../src/core/errors.js";
import { SyringeVolumeError } from "../../src/hil/dryRun.js";

const C = { T: 150, CuI: 100, ZnI2: 100, CsOA: 50, ODE: 250 };

describe.skipIf(socatMissing() !== undefined)("DeviceLab on the emulated rig (pty pumps, Modbus TCP heater, simulator-fed file drop)", () => {
  let rig: Rig;
  const labs: DeviceLab[] = [];
  beforeAll(async () => {
    rig = await startRig(mkdtempSync(join(tmpdir(), "sdfl-rig-")), { timeScale: 200 });
  });
  afterEach(async () => {
    for (const l of labs.splice(0)) await l.close();
    for (const p of Object.values(rig.pumps)) p.faults = {};
    rig.heater.faults.maxPlate_degC = undefined;
  });
  afterAll(async () => {
    await rig?.close();
  });
  const open = async (dispensed?: Record<string, number>) => {
    const log = new MemoryDeviceLog();
    const lab = await connectLab(rig.config, { configDir: rig.dir, log, dispensed });
    labs.push(lab);
    return { lab, log };
  };
  const safe = () => {
    for (const [k, p] of Object.entries(rig.pumps)) expect(p.running, `pump ${k} stopped`).toBe(false);
    expect(rig.heater.setPoint()).toBe(rig.config.heater.safeSetPoint_degC);
  };

  it("runs an experiment: set points reach the devices, the spectra give the simulator's PLQY, every step is journaled before the commands it causes", async () => {
    const { lab, log } = await open();
    const m = await lab.run(C);
    expect(rig.heater.setPoint()).toBe(150);
    expect(rig.pumps.CuI.rate).toBe(100);
    expect(rig.pumps.PFO.rate).toBe(250);
    expect(rig.pumps.ODE.running).toBe(true);
    expect(m.setPoints).toEqual({ PFO: 250 });
    expect(Math.abs((m.meta!.plate_degC as number) - 150)).toBeLessThan(0.6);
    const truth = rig.feeder.lab.evaluateTrue([C])[0];
    expect(Math.abs(m.objective - truth) / truth).toBeLessThan(0.05);
    const i = log.entries.findIndex((e) => e.kind === "step" && e.message.startsWith("pump CuI at 100"));
    const j = log.entries.findIndex((e, k) => k > i && e.kind === "command" && e.message === "set rate 100" && e.device === "pump:CuI");
    expect(i).toBeGreaterThan(0);
    expect(j).toBeGreaterThan(i);
    expect(log.entries.some((e) => e.kind === "syringe")).toBe(true);
  });

  it("a set point out of limits is refused with value, unit and range before anything is sent", async () => {
    const { lab, log } = await open();
    const before = rig.pumps.CuI.received.length;
    const e = await lab.run({ ...C, T: 190 }).catch((x) => x);
    expect(e).toBeInstanceOf(BoundsError);
    expect(e.message).toMatch(/heater set point = 190 degC is outside the allowed range 20 to 185 degC/);
    expect(log.entries.some((x) => x.kind === "step")).toBe(false);
    expect(rig.pumps.CuI.received.slice(before).filter((c) => c.startsWith("set rate"))).toEqual([]);
  });

  it("an experiment that would run a syringe dry is refused up front; a low syringe warns ahead of time", async () => {
    // Let the plate settle at the safe set point, so the time estimate (and the need) is the same in every dry run.
    while (Math.abs(rig.heater.plate() - 25) > 0.01) await new Promise((r) => setTimeout(r, 20));
    const need = async (dispensed: number) => {
      const { lab } = await open({ CsOA: dispensed });
      const d = await lab.dryRun(C);
      await labs.pop()!.close();
      return d;
    };
    const full = await need(0);
    const n = full.volumes.find((v) => v.pump === "CsOA")!.need_uL;
    expect(n).toBeGreaterThan((50 * full.total_s) / 60);
    const low = await need(50_000 - 1.5 * n);
    expect(low.refusals).toEqual([]);
    expect(low.warnings.join()).toMatch(/pump:CsOA: about \d+ uL left after this experiment, not enough for another like it/);
    const { lab } = await open({ CsOA: 50_000 - 0.5 * n });
    const before = rig.pumps.CsOA.received.length;
    const e = await lab.run(C).catch((x) => x);
    expect(e).toBeInstanceOf(SyringeVolumeError);
    expect(e.message).toMatch(/pump:CsOA: this experiment needs about \d+ uL but the syringe holds \d+ uL; refusing to start it/);
    expect(rig.pumps.CsOA.received.slice(before).filter((c) => c.startsWith("set"))).toEqual([]);
  });

  it("a heater that never reaches its set point: DeviceError naming it, then pumps stopped and heater at its safe set point", async () => {
    rig.config.heater.timeout_s = 120;
    try {
      const { lab } = await open();
      rig.heater.faults.maxPlate_degC = 100;
      await expect(lab.run(C)).rejects.toThrow(/heater:plate: did not reach 150 degC within 120 s/);
      safe();
    } finally {
      rig.config.heater.timeout_s = 900;
    }
  });

  it("a pump that stalls during the wait: DeviceError naming it, everything safe", async () => {
    const { lab } = await open();
    rig.pumps.ZnI2.faults = { stallAfter_s: 60 };
    await expect(lab.run(C)).rejects.toThrow(/pump:ZnI2: stream ZnI2 is stalled/);
    safe();
  });

  it("a pump that stops answering: watchdog or retries end in a DeviceError naming it, the others are made safe", async () => {
    const { lab } = await open();
    rig.pumps.ODE.faults = { silent: true };
    await expect(lab.run(C)).rejects.toThrow(/pump:ODE: .*(no answer|watchdog)/);
    for (const k of ["CuI", "ZnI2", "CsOA", "PFO"]) expect(rig.pumps[k].running).toBe(false);
    expect(rig.heater.setPoint()).toBe(25);
  });

  it("a garbled reply: DeviceError naming the pump and the command, everything safe", async () => {
    const { lab } = await open();
    rig.pumps.CsOA.faults = { garbled: true };
    await expect(lab.run(C)).rejects.toThrow(/pump:CsOA: "[^"]+" on \S+ got a garbled reply/);
    rig.pumps.CsOA.faults = {};
    safe();
  });

  it("a spectrum that never appears: the spectrometer times out naming the folder, everything safe", async () => {
    rig.config.spectrometer.timeout_s = 30;
    await rig.feeder.halt();
    try {
      const { lab } = await open();
      await expect(lab.run(C)).rejects.toThrow(/spectrometer:folder: waited 30 s for a new Abs<k>.csv \/ PL<k>.csv pair/);
      safe();
    } finally {
      rig.config.spectrometer.timeout_s = 2000;
      rig.feeder.start(60);
    }
  });

  // Last: it unplugs a pump for good.
  it("a serial port that disappears mid-experiment: DeviceError naming the pump and its port, the others made safe", async () => {
    const { lab } = await open();
    const running = lab.run(C);
    while (!rig.pumps.PFO.running) await new Promise((r) => setTimeout(r, 10));
    await rig.unplug("PFO");
    await expect(running).rejects.toThrow(/pump:PFO: .*(closed|disappear|error|no answer|watchdog)/i);
    for (const k of ["CuI", "ZnI2", "CsOA", "ODE"]) expect(rig.pumps[k].running, k).toBe(false);
    expect(rig.heater.setPoint()).toBe(25);
  });
});
