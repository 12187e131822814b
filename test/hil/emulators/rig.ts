/**
 * The whole emulated rig of the paper's reactor: five Chemyx pump emulators, each on its
 * own socat pseudo-terminal pair (or on the serialport mock binding), the F4T emulator on
 * a Modbus TCP loopback port, and a simulator-fed file-drop spectrometer. Writes a lab
 * configuration pointing at all of it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { WallClock } from "../../../src/hil/clock.js";
import { defaultLabConfig, type LabConfig } from "../../../src/hil/labConfig.js";
import { ChemyxEmulator } from "./chemyxEmulator.js";
import { F4TEmulator } from "./f4tEmulator.js";
import { ptyPump, type PtyPump } from "./serialTransports.js";
import { SpectraFeeder } from "./spectraFeeder.js";

export const PUMPS = ["CuI", "ZnI2", "CsOA", "ODE", "PFO"] as const;

export interface Rig {
  dir: string;
  configFile: string;
  config: LabConfig;
  clock: WallClock;
  pumps: Record<string, ChemyxEmulator>;
  heater: F4TEmulator;
  feeder: SpectraFeeder;
  /** Pull a pump's cable: its pseudo-terminal pair goes away. */
  unplug(pump: string): Promise<void>;
  close(): Promise<void>;
}

/** Start every emulator and write `dir/lab.json`. `timeScale` lab seconds pass per real second. */
export async function startRig(dir: string, o: { timeScale: number; feederPeriod_ms?: number; configure?: (c: LabConfig) => void }): Promise<Rig> {
  mkdirSync(dir, { recursive: true });
  const clock = new WallClock(o.timeScale);
  const pumps: Record<string, ChemyxEmulator> = {};
  const ptys: PtyPump[] = [];
  const heater = new F4TEmulator(() => clock.now(), { tau_s: 20, initial_degC: 25 });
  let feeder: SpectraFeeder | undefined;
  try {
    for (const p of PUMPS) {
      pumps[p] = new ChemyxEmulator(() => clock.now());
      ptys.push(await ptyPump(pumps[p]));
    }
    await heater.start();
    const spectra = join(dir, "spectra");
    mkdirSync(spectra, { recursive: true });
    feeder = await SpectraFeeder.create(spectra, () => ({
      plate_degC: heater.plate(),
      rates: Object.fromEntries(PUMPS.map((p) => [p, pumps[p].actualRate()])),
    }));
    feeder.start(o.feederPeriod_ms ?? 60);
    const config = defaultLabConfig();
    config.name = "emulated-rig";
    config.timeScale = o.timeScale;
    PUMPS.forEach((p, i) => Object.assign(config.pumps[p], { port: ptys[i].path, timeout_ms: 1000 }));
    Object.assign(config.heater, { host: "127.0.0.1", port: heater.port, timeout_ms: 1000, hold_s: 10, timeout_s: 900 });
    Object.assign(config.spectrometer, { folder: "spectra", poll_s: 0.5, stable_s: 1, timeout_s: 10 * o.timeScale });
    // Lab seconds are 1/timeScale real seconds: leave room for a busy test machine.
    Object.assign(config.safety, { monitor_s: 20, watchdog_s: 2 * o.timeScale });
    o.configure?.(config);
    const configFile = join(dir, "lab.json");
    writeFileSync(configFile, JSON.stringify(config, null, 2) + "\n");
    const f = feeder;
    return {
      dir,
      configFile,
      config,
      clock,
      pumps,
      heater,
      feeder: f,
      unplug: (pump: string) => ptys[PUMPS.indexOf(pump as (typeof PUMPS)[number])].close(),
      close: async () => {
        await f.stop();
        await heater.close();
        for (const p of ptys) await p.close();
      },
    };
  } catch (e) {
    await feeder?.stop();
    await heater.close();
    for (const p of ptys) await p.close();
    throw e;
  }
}
