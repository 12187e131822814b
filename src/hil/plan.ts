/**
 * An experiment as data: the steps a runner executes (set the heater, start the pumps,
 * wait for the plate, wait a number of residence times, check the pumps, acquire both
 * spectra). The same plan can be dry-run (see dryRun.ts), run on virtual devices or on
 * hardware.
 */
import type { SpectrumKind } from "./protocols.js";
import { setPoints, type ReactorMap } from "./reactorMap.js";

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

/** One step of a plan. Device names are the keys of the lab's devices ("heater", a pump name, "abs", "pl"). */
export type PlanStep =
  | { kind: "set-heater"; setPoint_degC: number }
  | { kind: "set-pump"; pump: string; rate_uL_min: number }
  | { kind: "wait-temperature"; wait: TemperatureWait; estimate_s: number }
  | { kind: "wait"; seconds: number; reason: string }
  | { kind: "check-pumps" }
  | { kind: "acquire"; spectrum: SpectrumKind; frames?: number; estimate_s: number };

/** A planned experiment. */
export interface ExperimentPlan {
  condition: Record<string, number>;
  setPoint_degC: number;
  /** Each pump's rate, uL/min. */
  rates: Record<string, number>;
  /** Sum of every pump's rate, uL/min. */
  totalFlow_uL_min: number;
  /** Residence time tau at this flow, s. */
  tau_s: number;
  steps: PlanStep[];
}

/** Rules that turn a condition into a plan. */
export interface PlanRules {
  /** tau = 60 x volume_uL / total flow (uL/min); the spectra are taken `times` tau after the plate is on temperature. */
  residence: { volume_uL: number; times: number };
  temperature: TemperatureWait;
  /** For time estimates only: how fast the plate moves, degC/min. */
  heaterRamp_degC_min: number;
  /** For time estimates only: one acquisition, s. */
  acquire_s: number;
  /** Frames per acquisition (devices that choose their own frame count ignore it). */
  frames?: number;
}

/**
 * Build the plan of one experiment. `plate_degC` (the plate now) only feeds the time
 * estimate; `derived` are the problem's derived set points at this condition.
 */
export function planExperiment(
  condition: Readonly<Record<string, number>>,
  map: ReactorMap,
  rules: PlanRules,
  plate_degC?: number,
  derived: Readonly<Record<string, number>> = {},
): ExperimentPlan {
  const { setPoint_degC, rates } = setPoints(map, condition, derived);
  const totalFlow_uL_min = Object.values(rates).reduce((a, b) => a + b, 0);
  const tau_s = totalFlow_uL_min > 0 ? (60 * rules.residence.volume_uL) / totalFlow_uL_min : Infinity;
  const ramp_s = plate_degC === undefined ? 0 : (60 * Math.abs(setPoint_degC - plate_degC)) / rules.heaterRamp_degC_min;
  const steps: PlanStep[] = [
    { kind: "set-heater", setPoint_degC },
    ...map.streams.map((s): PlanStep => ({ kind: "set-pump", pump: s.pump, rate_uL_min: rates[s.pump] })),
    { kind: "wait-temperature", wait: rules.temperature, estimate_s: ramp_s + rules.temperature.hold_s },
    { kind: "wait", seconds: rules.residence.times * tau_s, reason: `${rules.residence.times} residence times (tau ${tau_s.toFixed(1)} s)` },
    { kind: "check-pumps" },
    { kind: "acquire", spectrum: "absorbance", frames: rules.frames, estimate_s: rules.acquire_s },
    { kind: "acquire", spectrum: "photoluminescence", frames: rules.frames, estimate_s: rules.acquire_s },
  ];
  return { condition: { ...condition }, setPoint_degC, rates, totalFlow_uL_min, tau_s, steps };
}

/** Estimated duration of each step, s (the set commands count as 1 s each). */
export function stepEstimate_s(step: PlanStep): number {
  switch (step.kind) {
    case "set-heater":
    case "set-pump":
    case "check-pumps":
      return 1;
    case "wait-temperature":
    case "acquire":
      return step.estimate_s;
    case "wait":
      return step.seconds;
  }
}

/** One line describing a step, for dry-run tables and logs. */
export function describeStep(step: PlanStep): string {
  switch (step.kind) {
    case "set-heater":
      return `heater set point ${step.setPoint_degC} degC`;
    case "set-pump":
      return `pump ${step.pump} at ${round(step.rate_uL_min)} uL/min`;
    case "wait-temperature":
      return `wait until the plate holds its set point within ${step.wait.tolerance_degC} degC for ${step.wait.hold_s} s (timeout ${step.wait.timeout_s} s)`;
    case "wait":
      return `wait ${round(step.seconds)} s: ${step.reason}`;
    case "check-pumps":
      return "check every pump is running";
    case "acquire":
      return `acquire ${step.spectrum === "absorbance" ? "absorbance" : "PL"} spectrum`;
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
