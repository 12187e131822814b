import { BoundsError, SdflError } from "../../core/errors.js";

/** A condition in physical units, keyed by input name (e.g. `{ T: 150, CuI: 100 }`). */
export type Condition = Record<string, number>;

/** One input the optimizer varies: name, unit, bounds, as data. */
export interface InputSpec {
  readonly name: string;
  readonly unit: string;
  /** [low, high] in `unit`, low < high. */
  readonly bounds: readonly [number, number];
  readonly description?: string;
  /**
   * Smallest set-point step of this input that the lab realises as a different
   * experiment, in `unit` (optional; default 1e-3 of the range). Strategies keep every
   * proposal far enough from observed and pending points that, rounded to this step,
   * it differs from each of them in at least one input.
   */
  readonly resolution?: number;
  /**
   * Discrete levels the input may take (sorted, inside `bounds`). Strategies search the
   * continuous range; the campaign snaps each proposal to the nearest level before it runs.
   */
  readonly levels?: readonly number[];
}

/**
 * A linear constraint in physical units: min <= constant + sum_i coef[i] * x_i <= max
 * (either side may be absent). `text` is the constraint as the problem file wrote it.
 */
export interface LinearConstraint {
  readonly label: string;
  readonly text: string;
  readonly coef: Readonly<Record<string, number>>;
  /** Constant part of the left-hand side (from fixed inputs or written numbers). */
  readonly constant: number;
  readonly min?: number;
  readonly max?: number;
}

/** The search space: the free inputs with bounds, in a fixed order, plus linear constraints. */
export interface SearchSpace {
  readonly inputs: readonly InputSpec[];
  readonly constraints: readonly LinearConstraint[];
}

/** Names of the space's inputs, in its order. */
export function inputNames(space: SearchSpace): string[] {
  return space.inputs.map((s) => s.name);
}

/** Condition -> array in the space's input order. Throws if an input is missing. */
export function toArray(space: SearchSpace, c: Readonly<Condition>): number[] {
  return space.inputs.map((s) => {
    const v = c[s.name];
    if (typeof v !== "number")
      throw new SdflError(`the condition has no value for input "${s.name}"`, `give every input of the problem: ${inputNames(space).join(", ")}`);
    return v;
  });
}

/** Array in the space's input order -> condition. Throws unless there is one value per input. */
export function fromArray(space: SearchSpace, x: readonly number[]): Condition {
  if (x.length !== space.inputs.length) throw new RangeError(`expected ${space.inputs.length} inputs (${inputNames(space).join(", ")}), got ${x.length}`);
  const c: Condition = {};
  space.inputs.forEach((s, i) => (c[s.name] = x[i]));
  return c;
}

/** Physical -> unit cube: z = (x - lo) / (hi - lo) per input, in the space's order. Shape [d] -> [d]. */
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

/** Left-hand side of a linear constraint at a condition (physical units). */
export function constraintValue(k: LinearConstraint, c: Readonly<Condition>): number {
  let s = k.constant;
  for (const [name, coef] of Object.entries(k.coef)) s += coef * (c[name] ?? NaN);
  return s;
}

/** True when the condition satisfies every linear constraint of the space (box not checked). */
export function satisfiesConstraints(space: SearchSpace, c: Readonly<Condition>): boolean {
  return space.constraints.every((k) => {
    const v = constraintValue(k, c);
    return !(k.min !== undefined && !(v >= k.min)) && !(k.max !== undefined && !(v <= k.max));
  });
}

/** Look up an input's spec by name. */
export function inputSpec(space: SearchSpace, name: string): InputSpec {
  const s = space.inputs.find((i) => i.name === name);
  if (!s) throw new RangeError(`unknown input ${name}`);
  return s;
}
