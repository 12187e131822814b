import type { Condition } from "../twin/space.js";

/**
 * One finished experiment as a lab reports it. Features are what the spectrometers
 * gave (after the processing pipeline); `plqy` is the objective computed from them.
 */
export interface Measurement {
  /** The condition actually run, physical units (degC, uL/min). */
  condition: Condition;
  /** PFO carrier flow used, uL/min (half the precursor total). */
  pfo: number;
  /** Absorbance at 300 nm (dimensionless). */
  abs300: number;
  /** PL area 345-700 nm (counts x nm). */
  pla: number;
  /** PL intensity at 446 nm (counts), when the lab measures it. */
  peak446?: number;
  /** PLQY proxy from abs300 and pla. */
  plqy: number;
  /** Lab-clock start and end of the experiment, seconds since the lab started. */
  startedAt: number;
  finishedAt: number;
  /** Anything else the lab wants recorded (plate temperature reached, raw file names, ...). */
  meta?: Record<string, unknown>;
}

/**
 * A lab: turns a condition into a measurement. Implemented by `SimulatedLab` (src/sim)
 * and `DeviceLab` (src/hil). Calls are sequential: one experiment at a time.
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
