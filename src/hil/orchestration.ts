/**
 * The runner of experiment plans (plan.ts), written against the device protocols and a
 * Clock only, so the same plan runs unchanged on virtual devices (src/sim) and on real
 * drivers. Every step is journaled before it is acted on; pumps are watched during the
 * waits (a stalled or empty pump ends the experiment with a DeviceError naming it).
 */
import { DeviceError } from "../core/errors.js";
import type { Clock } from "./clock.js";
import type { DeviceLog } from "./deviceLog.js";
import { describeStep, type ExperimentPlan, type PlanStep, type TemperatureWait } from "./plan.js";
import type { HeaterController, RawAcquisition, Spectrometer, SyringePump } from "./protocols.js";

export type { TemperatureWait } from "./plan.js";

/** The devices of a reactor: one heater, named pumps, the absorbance and PL spectrometers. */
export interface ReactorDevices {
  pumps: Readonly<Record<string, SyringePump>>;
  heater: HeaterController;
  absSpectrometer: Spectrometer;
  plSpectrometer: Spectrometer;
}

/** Options of {@link executePlan}. */
export interface ExecuteOptions {
  signal?: AbortSignal;
  log?: DeviceLog;
  /** Check the pumps at least this often during waits, s (default: only before acquiring). */
  monitor_s?: number;
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

/** Throw a DeviceError naming the first pump that is not running. */
async function checkPumpsRunning(pumps: Readonly<Record<string, SyringePump>>, when: string): Promise<void> {
  for (const [name, p] of Object.entries(pumps)) {
    const r = await p.read();
    if (r.status.value !== "running") {
      const hint =
        r.status.value === "stalled"
          ? "the pump stalled: check for a blocked line or a jammed syringe, then resume the campaign"
          : "refill the syringe and resume the campaign (the experiment is re-run)";
      throw new DeviceError(p.name, `stream ${name} is ${r.status.value} ${when}`, hint);
    }
  }
}

/** Poll the heater until it has held its set point for `hold_s`; returns the seconds waited. `between` runs after each poll. */
export async function waitForTemperature(
  heater: HeaterController,
  clock: Clock,
  w: TemperatureWait,
  signal?: AbortSignal,
  between?: () => Promise<void>,
): Promise<number> {
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
    await between?.();
    await clock.sleep(w.poll_s, signal);
  }
}

/** Run a plan's steps in order; pumps keep running afterwards (continuous flow). */
export async function executePlan(d: ReactorDevices, clock: Clock, plan: ExperimentPlan, o: ExecuteOptions = {}): Promise<ExperimentRecord> {
  const { signal, log } = o;
  const startedAt_s = clock.now();
  let heatWait_s = 0;
  let plate_degC = NaN;
  const spectra: Partial<Record<"absorbance" | "photoluminescence", RawAcquisition>> = {};
  const pumpsRunning = (): Promise<void> => checkPumpsRunning(d.pumps, "while waiting");
  for (const step of plan.steps) {
    signal?.throwIfAborted();
    log?.record({ t_s: clock.now(), device: deviceOf(step), kind: "step", message: describeStep(step), data: step });
    switch (step.kind) {
      case "set-heater":
        await d.heater.set(step.setPoint_degC, { signal });
        break;
      case "set-pump": {
        const p = d.pumps[step.pump];
        if (!p) throw new DeviceError(`pump:${step.pump}`, "the plan names a pump the lab does not have", "check the stream map of the lab configuration");
        await p.set(step.rate_uL_min, { signal });
        break;
      }
      case "wait-temperature":
        heatWait_s = await waitForTemperature(d.heater, clock, step.wait, signal, o.monitor_s ? pumpsRunning : undefined);
        break;
      case "wait":
        await watchedSleep(clock, step.seconds, o.monitor_s, signal, pumpsRunning);
        break;
      case "check-pumps":
        await checkPumpsRunning(d.pumps, "before the acquisition");
        plate_degC = (await d.heater.read()).processValue_degC.value;
        break;
      case "acquire": {
        const s = step.spectrum === "absorbance" ? d.absSpectrometer : d.plSpectrometer;
        spectra[step.spectrum] = await s.acquire({ frames: step.frames, signal });
        break;
      }
    }
  }
  if (!spectra.absorbance || !spectra.photoluminescence)
    throw new DeviceError("lab", "the plan acquired no absorbance or no PL spectrum", "every plan ends with both acquisitions");
  return { abs: spectra.absorbance, pl: spectra.photoluminescence, plate_degC, heatWait_s, startedAt_s, finishedAt_s: clock.now() };
}

async function watchedSleep(
  clock: Clock,
  seconds: number,
  every: number | undefined,
  signal: AbortSignal | undefined,
  check: () => Promise<void>,
): Promise<void> {
  if (!every) return clock.sleep(seconds, signal);
  const end = clock.now() + seconds;
  for (let left = seconds; left > 0; left = end - clock.now()) {
    await clock.sleep(Math.min(every, left), signal);
    await check();
  }
}

function deviceOf(step: PlanStep): string {
  switch (step.kind) {
    case "set-heater":
    case "wait-temperature":
      return "heater";
    case "set-pump":
      return `pump:${step.pump}`;
    case "acquire":
      return step.spectrum === "absorbance" ? "spectrometer:abs" : "spectrometer:pl";
    default:
      return "lab";
  }
}
