import { feasibleSetOf, isFeasible } from "../optimize/feasibleSet.js";
import { denormalize, fromArray, normalize, satisfiesConstraints, toArray, type Condition, type SearchSpace } from "../problem/space.js";

/**
 * A search space with a short name, so counterexamples say "constrained-5d" instead of
 * printing every bound. All the suite's geometry goes through this file.
 */
export interface NamedSpace {
  readonly name: string;
  readonly space: SearchSpace;
}

/**
 * Five inputs with unequal ranges and a resolution step (the shape of a typical flow-reactor
 * space), no constraints.
 */
export const TEST_SPACE: SearchSpace = {
  inputs: [
    { name: "x1", unit: "degC", bounds: [120, 180], resolution: 0.1 },
    { name: "x2", unit: "uL/min", bounds: [80, 120], resolution: 0.1 },
    { name: "x3", unit: "uL/min", bounds: [80, 120], resolution: 0.1 },
    { name: "x4", unit: "uL/min", bounds: [20, 80], resolution: 0.1 },
    { name: "x5", unit: "uL/min", bounds: [220, 280], resolution: 0.1 },
  ],
  constraints: [],
};

/** {@link TEST_SPACE} with an active two-sided linear constraint: 700 <= 1.5 (x2 + x3 + x4 + x5) <= 800. */
export const CONSTRAINED_SPACE: SearchSpace = {
  inputs: TEST_SPACE.inputs,
  constraints: [
    { label: "weighted sum", text: "700 <= 1.5 * (x2 + x3 + x4 + x5) <= 800", coef: { x2: 1.5, x3: 1.5, x4: 1.5, x5: 1.5 }, constant: 0, min: 700, max: 800 },
  ],
};

/** Two inputs, one with a negative range and a coarse step, one without a resolution (1e-3 of the range). */
export const SMALL_SPACE: SearchSpace = {
  inputs: [
    { name: "pH", unit: "", bounds: [-2, 2], resolution: 0.05 },
    { name: "dose", unit: "mg", bounds: [0, 1] },
  ],
  constraints: [],
};

/** The spaces the suite draws scenarios from by default. */
export const SUITE_SPACES: readonly NamedSpace[] = [
  { name: "box-5d", space: TEST_SPACE },
  { name: "constrained-5d (700 <= 1.5 (x2 + x3 + x4 + x5) <= 800)", space: CONSTRAINED_SPACE },
  { name: "box-2d", space: SMALL_SPACE },
];

/** Number of inputs. */
export const dimension = (space: SearchSpace): number => space.inputs.length;

/** Unit-cube point [d] -> condition (physical units). */
export const conditionAt = (space: SearchSpace, z: readonly number[]): Condition => fromArray(space, denormalize(space, z));

/** Condition -> unit-cube point [d]. */
export const unitOf = (space: SearchSpace, c: Condition): number[] => normalize(space, toArray(space, c));

/** True when the unit-cube point satisfies the space's constraints (box not checked). */
export function feasibleUnit(space: SearchSpace): (z: readonly number[]) => boolean {
  const set = feasibleSetOf(space);
  return (z) => isFeasible(set, z);
}

/**
 * What is wrong with a proposed condition, or null when it is a valid experiment: every input
 * present, finite and within its bounds (no tolerance: the lab refuses 180.001 degC), no input
 * the space does not have, and the constraints satisfied.
 */
export function invalidity(space: SearchSpace, c: unknown): string | null {
  if (typeof c !== "object" || c === null) return `the condition is ${String(c)}, not an object`;
  const rec = c as Record<string, unknown>;
  for (const s of space.inputs) {
    const v = rec[s.name];
    if (typeof v !== "number" || !Number.isFinite(v)) return `input ${s.name} is ${String(v)}, not a finite number`;
    const [lo, hi] = s.bounds;
    if (v < lo || v > hi) return `input ${s.name} = ${v} ${s.unit} is outside its bounds [${lo}, ${hi}] ${s.unit}`;
  }
  const extra = Object.keys(rec).filter((k) => !space.inputs.some((s) => s.name === k));
  if (extra.length > 0) return `it sets ${extra.join(", ")}, which the space does not have`;
  const broken = space.constraints.find((k) => !satisfiesConstraints({ inputs: space.inputs, constraints: [k] }, c as Condition));
  if (broken) return `it violates the constraint ${broken.text}`;
  return null;
}

/** A condition as "x1=150.2, x2=100, ..." (7 significant digits). */
export function showCondition(space: SearchSpace, c: Condition | undefined): string {
  if (!c) return String(c);
  const rec = c as Record<string, unknown>;
  return space.inputs.map((s) => `${s.name}=${typeof rec[s.name] === "number" ? +(rec[s.name] as number).toPrecision(7) : String(rec[s.name])}`).join(", ");
}

/** A unit-cube point as "(x1 0, x2 0.52, ...)". */
export function showUnit(space: SearchSpace, z: readonly number[]): string {
  return `(${space.inputs.map((s, i) => `${s.name} ${+z[i].toFixed(3)}`).join(", ")})`;
}
