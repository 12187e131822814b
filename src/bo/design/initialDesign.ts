import { UsageError } from "../../core/errors.js";
import type { Rng } from "../../core/rng.js";
import { denormalize, fromArray, type Condition, type SearchSpace } from "../problem/space.js";
import { feasibleSetOf, isFeasible, project } from "../optimize/feasibleSet.js";
import { maximinLatinHypercube } from "./lhs.js";
import { SobolSequence } from "./sobol.js";

/** An initial design: `lhs:60` (maximin Latin hypercube) or `sobol:10` (scrambled Sobol). */
export interface DesignSpec {
  kind: "lhs" | "sobol";
  count: number;
}

/** Parse "lhs:N" or "sobol:N" (N >= 1). A bare number means "lhs:N". */
export function parseDesignSpec(text: string): DesignSpec {
  const m = /^(?:(lhs|sobol):)?(\d+)$/.exec(text.trim());
  if (!m || Number(m[2]) < 1) {
    throw new UsageError(`initial design "${text}" is not understood`, 'write lhs:N or sobol:N with N >= 1, e.g. "lhs:60" or "sobol:10"');
  }
  return { kind: (m[1] as "lhs" | "sobol" | undefined) ?? "lhs", count: Number(m[2]) };
}

/**
 * Points of an initial design in the unit cube, shape [count][d], all satisfying the
 * space's flow constraints. Sobol points that violate a constraint are skipped (the
 * sequence continues); LHS points that violate one are projected onto the feasible set.
 */
export function initialDesignUnit(spec: DesignSpec, space: SearchSpace, rng: Rng): number[][] {
  const d = space.inputs.length;
  const set = feasibleSetOf(space);
  if (spec.kind === "lhs") {
    return maximinLatinHypercube(spec.count, d, rng).map((z) => (isFeasible(set, z) ? z : project(set, z)));
  }
  const seq = new SobolSequence(d, rng);
  const pts: number[][] = [];
  for (let tries = 0; pts.length < spec.count && tries < 1000 * spec.count; tries++) {
    const z = seq.next();
    if (isFeasible(set, z)) pts.push(z);
  }
  while (pts.length < spec.count) pts.push(project(set, seq.next()));
  return pts;
}

/** The design as conditions in physical units (degC, uL/min). */
export function initialDesign(spec: DesignSpec, space: SearchSpace, rng: Rng): Condition[] {
  return initialDesignUnit(spec, space, rng).map((z) => fromArray(space, denormalize(space, z)));
}
