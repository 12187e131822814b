import { DEFAULT_SPACE, denormalize, fromArray, normalize, satisfiesConstraints, toArray, type Condition, type SearchSpace } from "../../twin/space.js";
import { feasibleSetOf, isFeasible } from "../optimize/feasibleSet.js";

/**
 * A search space with a short name, so counterexamples say "constrained-5d" instead of
 * printing every bound. All the suite's geometry goes through this file.
 */
export interface NamedSpace {
  readonly name: string;
  readonly space: SearchSpace;
}

/** The default space with the total flow limited to [700, 800] uL/min (an active constraint). */
export const CONSTRAINED_SPACE: SearchSpace = {
  inputs: DEFAULT_SPACE.inputs,
  constraints: { totalFlow: [700, 800], minMassTransferFlow: 576 },
};

/** The spaces the suite draws scenarios from by default: the published box and the same box with an active total-flow band. */
export const SUITE_SPACES: readonly NamedSpace[] = [
  { name: "paper-5d", space: DEFAULT_SPACE },
  { name: "constrained-5d (total flow 700-800 uL/min)", space: CONSTRAINED_SPACE },
];

/** Number of inputs. */
export const dimension = (space: SearchSpace): number => space.inputs.length;

/** Unit-cube point [d] -> condition (physical units). */
export const conditionAt = (space: SearchSpace, z: readonly number[]): Condition => fromArray(denormalize(space, z));

/** Condition -> unit-cube point [d]. */
export const unitOf = (space: SearchSpace, c: Condition): number[] => normalize(space, toArray(c));

/** Condition -> values [d] in the space's input order (physical units). */
export const valuesOf = (c: Condition): number[] => toArray(c);

/** True when the unit-cube point satisfies the space's constraints (box not checked). */
export function feasibleUnit(space: SearchSpace): (z: readonly number[]) => boolean {
  const set = feasibleSetOf(space);
  return (z) => isFeasible(set, z);
}

/**
 * What is wrong with a proposed condition, or null when it is a valid experiment: every input
 * present, finite and within its bounds (no tolerance: the lab refuses 180.001 degC), and the
 * constraints satisfied.
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
  if (!satisfiesConstraints(space, c as Condition)) return `it violates the constraints ${JSON.stringify(space.constraints)}`;
  return null;
}

/** A condition as "T=150.2 degC, CuI=100 uL/min, ..." (values rounded to 4 significant digits beyond the resolution). */
export function showCondition(space: SearchSpace, c: Condition | undefined): string {
  if (!c) return String(c);
  const rec = c as Record<string, unknown>;
  return space.inputs.map((s) => `${s.name}=${typeof rec[s.name] === "number" ? +(rec[s.name] as number).toPrecision(7) : String(rec[s.name])}`).join(", ");
}

/** A unit-cube point as "(T 0, CuI 0.52, ...)". */
export function showUnit(space: SearchSpace, z: readonly number[]): string {
  return `(${space.inputs.map((s, i) => `${s.name} ${+z[i].toFixed(3)}`).join(", ")})`;
}
