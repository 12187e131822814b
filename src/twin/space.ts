import { BoundsError } from "../core/errors.js";

/** One independent input of the reactor: name, unit, bounds, as data. */
export interface InputSpec {
  readonly name: InputName;
  readonly unit: string;
  /** [low, high] in `unit`. */
  readonly bounds: readonly [number, number];
  readonly description: string;
  /**
   * Smallest set-point step of this input that the lab realises as a different
   * experiment, in `unit` (optional; default 1e-3 of the range). Strategies keep every
   * proposal far enough from observed and pending points that, rounded to this step,
   * it differs from each of them in at least one input.
   */
  readonly resolution?: number;
}

/** The five independent inputs, in the fixed column order of inputs.csv. */
export const INPUT_NAMES = ["T", "CuI", "ZnI2", "CsOA", "ODE"] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/** A reaction condition in physical units (degC and uL/min). */
export type Condition = Record<InputName, number>;

/** Linear constraints beyond the box, expressed as data. Flows in uL/min. */
export interface FlowConstraints {
  /** Total flow (precursors + PFO) must lie in [min, max] uL/min; fixes residence time. */
  readonly totalFlow?: readonly [number, number];
  /**
   * Minimum total flow for the mixing (mass-transfer) regime, uL/min. The paper finds the
   * synthesis mass-transfer limited below 576 uL/min.
   */
  readonly minMassTransferFlow?: number;
}

/** The search space: inputs with bounds plus optional flow constraints. */
export interface SearchSpace {
  readonly inputs: readonly InputSpec[];
  readonly constraints: FlowConstraints;
}

/** Ratio of the PFO carrier flow to the total precursor flow (0.5 in the published setup). */
export const PFO_RATIO = 0.5;

/** The critical total flow above which mixing is not mass-transfer limited (uL/min). */
export const CRITICAL_TOTAL_FLOW = 576;

/** The published search space (design notes, "The search space"). */
export const DEFAULT_SPACE: SearchSpace = {
  inputs: [
    // Resolutions: the F4T set point and display step (0.1 degC); 0.1 uL/min for the
    // pumps, which take 0.01 uL/min set points but repeat flows only to about 0.05 %.
    { name: "T", unit: "degC", bounds: [120, 180], description: "heater plate (reaction) temperature", resolution: 0.1 },
    { name: "CuI", unit: "uL/min", bounds: [80, 120], description: "CuI precursor flow rate", resolution: 0.1 },
    { name: "ZnI2", unit: "uL/min", bounds: [80, 120], description: "ZnI2 additive precursor flow rate", resolution: 0.1 },
    { name: "CsOA", unit: "uL/min", bounds: [20, 80], description: "Cs-oleate precursor flow rate", resolution: 0.1 },
    { name: "ODE", unit: "uL/min", bounds: [220, 280], description: "octadecene diluent flow rate", resolution: 0.1 },
  ],
  constraints: { minMassTransferFlow: CRITICAL_TOTAL_FLOW },
};

/** PFO carrier flow (uL/min) for the given precursor flows: half their total. */
export function pfoFlow(c: Condition): number {
  return PFO_RATIO * (c.CuI + c.ZnI2 + c.CsOA + c.ODE);
}

/** Total flow through the reactor, precursors plus PFO (uL/min). */
export function totalFlow(c: Condition): number {
  return (1 + PFO_RATIO) * (c.CuI + c.ZnI2 + c.CsOA + c.ODE);
}

/** Condition -> array in INPUT_NAMES order. */
export function toArray(c: Condition): number[] {
  return INPUT_NAMES.map((n) => c[n]);
}

/** Array in INPUT_NAMES order -> condition. */
export function fromArray(x: readonly number[]): Condition {
  if (x.length !== INPUT_NAMES.length) throw new RangeError(`expected ${INPUT_NAMES.length} inputs, got ${x.length}`);
  return { T: x[0], CuI: x[1], ZnI2: x[2], CsOA: x[3], ODE: x[4] };
}

/** Physical -> unit cube: z = (x - lo) / (hi - lo) per input. Shape [d] -> [d]. */
export function normalize(space: SearchSpace, x: readonly number[]): number[] {
  return space.inputs.map((s, i) => (x[i] - s.bounds[0]) / (s.bounds[1] - s.bounds[0]));
}

/** Unit cube -> physical: x = lo + z (hi - lo). Shape [d] -> [d]. */
export function denormalize(space: SearchSpace, z: readonly number[]): number[] {
  return space.inputs.map((s, i) => s.bounds[0] + z[i] * (s.bounds[1] - s.bounds[0]));
}

/** Throw {@link BoundsError} if any input is outside its bounds (with relative tolerance `tol`). */
export function checkInBounds(space: SearchSpace, x: readonly number[], context?: string, tol = 1e-9): void {
  space.inputs.forEach((s, i) => {
    const [lo, hi] = s.bounds;
    const slack = tol * (hi - lo);
    if (!Number.isFinite(x[i]) || x[i] < lo - slack || x[i] > hi + slack) {
      throw new BoundsError(s.name, x[i], s.unit, s.bounds, context);
    }
  });
}

/** True when the condition satisfies the space's flow constraints (box not checked). */
export function satisfiesConstraints(space: SearchSpace, c: Condition): boolean {
  const q = totalFlow(c);
  const { totalFlow: tf, minMassTransferFlow } = space.constraints;
  if (tf && (q < tf[0] || q > tf[1])) return false;
  if (minMassTransferFlow !== undefined && q < minMassTransferFlow) return false;
  return true;
}

/** Look up an input's spec by name. */
export function inputSpec(space: SearchSpace, name: InputName): InputSpec {
  const s = space.inputs.find((i) => i.name === name);
  if (!s) throw new RangeError(`unknown input ${name}`);
  return s;
}
