import type { Condition } from "./problem/space.js";

/**
 * One finished experiment as a lab reports it: the condition run, the measured outcomes
 * (named as in the problem) and the objective computed from them.
 */
export interface Measurement {
  /** The condition actually run, physical units, keyed by input name. */
  condition: Condition;
  /** Fixed inputs and derived set points used, by name (e.g. `{ PFO: 225 }` in uL/min). */
  setPoints?: Record<string, number>;
  /** Measured outcomes by name (e.g. `{ abs300: 0.8, pla: 5.1e5 }`). */
  outcomes: Record<string, number>;
  /** The problem's objective computed from the outcomes (in its own sense: see the problem's goal). */
  objective: number;
  /** Lab-clock start and end of the experiment, seconds since the lab started. */
  startedAt: number;
  finishedAt: number;
  /** Anything else the lab wants recorded (plate temperature reached, raw file names, ...). */
  meta?: Record<string, unknown>;
}

/**
 * A lab: turns a condition into a measurement. Implemented by `SimulatedLab` (src/sim),
 * `DeviceLab` (src/hil) and user oracles. Calls are sequential: one experiment at a time.
 */
export interface Lab {
  /** Short description for logs and stores, e.g. "sim:chem3" or "hil:bench-rig-1". */
  readonly name: string;
  /** Run one experiment at `condition` and report what was measured. */
  run(condition: Condition, signal?: AbortSignal): Promise<Measurement>;
  /** Bring the lab to a safe idle state and release resources. */
  close(): Promise<void>;
}

/**
 * A lab whose noise-free truth is known: simulators and synthetic oracles. Benchmarks
 * score what an optimizer chose by `evaluateTrue`, never by the noisy measurement.
 */
export interface BenchmarkLab extends Lab {
  /** True (noise-free, steady-state) objective for each condition. Shape [n] -> [n]. */
  evaluateTrue(conditions: readonly Condition[]): number[];
}

/** True when a lab can report its noise-free objective. */
export function isBenchmarkLab(lab: Lab): lab is BenchmarkLab {
  return typeof (lab as BenchmarkLab).evaluateTrue === "function";
}
