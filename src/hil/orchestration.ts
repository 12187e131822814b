/**
 * A small steady-state experiment written against the device protocols and a Clock only,
 * so it runs unchanged on virtual devices (src/sim) and real drivers (src/hil):
 * set heater and pumps, wait for the temperature, wait N tau, acquire both spectra.
 */
import { DeviceError } from "../core/errors.js";
import type { HeaterController, RawAcquisition, Spectrometer, SyringePump } from "./protocols.js";
import type { Condition } from "../twin/space.js";
import type { Clock } from "./clock.js";

/** The devices of the reactor. */
export interface ReactorDevices {
  pumps: { CuI: SyringePump; ZnI2: SyringePump; CsOA: SyringePump; ODE: SyringePump; PFO: SyringePump };
  heater: HeaterController;
  absSpectrometer: Spectrometer;
  plSpectrometer: Spectrometer;
}

/** How to wait for the plate. */
export interface TemperatureWait {
  /** |PV - SP| that counts as on temperature, degC. */
  tolerance_degC: number;
  /** How long PV must stay within tolerance, s. */
  hold_s: number;
  /** Polling period, s. */
  poll_s: number;
  /** Give up after, s (DeviceError). */
  timeout_s: number;
}

/** Poll the heater until it has held its set point for `hold_s`; returns the seconds waited. */
export async function waitForTemperature(heater: HeaterController, clock: Clock, w: TemperatureWait, signal?: AbortSignal): Promise<number> {
  const start = clock.now();
  let inside = -1;
  for (;;) {
    const r = await heater.read();
    const now = clock.now();
    if (Math.abs(r.processValue_degC.value - r.setPoint_degC.value) <= w.tolerance_degC) {
      if (inside < 0) inside = now;
      if (now - inside >= w.hold_s) return now - start;
    } else {
      inside = -1;
    }
    if (now - start > w.timeout_s) {
      throw new DeviceError(
        heater.name,
        `did not reach ${r.setPoint_degC.value} degC within ${w.timeout_s} s (process value ${r.processValue_degC.value.toFixed(2)} degC)`,
        "check the heater and thermocouple, or raise the timeout",
      );
    }
    await clock.sleep(w.poll_s, signal);
  }
}

/** One planned steady-state experiment. */
export interface ExperimentPlan {
  condition: Condition;
  /** PFO carrier flow, uL/min. */
  pfo_uL_min: number;
  /** Time to wait after the plate is on temperature, s (2 tau in the original). */
  wait_s: number;
  temperature: TemperatureWait;
  /** Frames per acquisition. */
  frames?: number;
}

/** What the experiment collected. */
export interface ExperimentRecord {
  abs: RawAcquisition;
  pl: RawAcquisition;
  /** Plate process value read just before acquiring, degC. */
  plate_degC: number;
  /** Seconds spent waiting for the temperature. */
  heatWait_s: number;
  startedAt_s: number;
  finishedAt_s: number;
}

/** Run a plan: set points, waits, acquisitions; pumps keep running afterwards (continuous flow). */
export async function runExperimentPlan(d: ReactorDevices, clock: Clock, plan: ExperimentPlan, signal?: AbortSignal): Promise<ExperimentRecord> {
  const startedAt_s = clock.now();
  const c = plan.condition;
  await d.heater.set(c.T, { signal });
  await d.pumps.CuI.set(c.CuI, { signal });
  await d.pumps.ZnI2.set(c.ZnI2, { signal });
  await d.pumps.CsOA.set(c.CsOA, { signal });
  await d.pumps.ODE.set(c.ODE, { signal });
  await d.pumps.PFO.set(plan.pfo_uL_min, { signal });
  const heatWait_s = await waitForTemperature(d.heater, clock, plan.temperature, signal);
  await clock.sleep(plan.wait_s, signal);
  for (const [name, p] of Object.entries(d.pumps)) {
    const r = await p.read();
    if (r.status.value !== "running")
      throw new DeviceError(p.name, `stream ${name} is ${r.status.value} before the acquisition`, "refill the syringe and rerun the experiment");
  }
  const plate_degC = (await d.heater.read()).processValue_degC.value;
  const abs = await d.absSpectrometer.acquire({ frames: plan.frames, signal });
  const pl = await d.plSpectrometer.acquire({ frames: plan.frames, signal });
  return { abs, pl, plate_degC, heatWait_s, startedAt_s, finishedAt_s: clock.now() };
}
