import type { Rng } from "../../core/rng.js";
import { normalize, toArray, type Condition, type SearchSpace } from "../problem/space.js";

/** A simple test objective: 1 - ||z - c||^2 / d in the unit cube of the space, maximum 1 at c. */
export interface UnimodalOracle {
  /** Optimum in the unit cube, shape [d]. */
  center: number[];
  /** True objective of a condition (physical units). */
  evaluate(c: Condition): number;
}

/** A unimodal oracle with its optimum drawn uniformly in [0.2, 0.8]^d. */
export function unimodalOracle(space: SearchSpace, rng: Rng): UnimodalOracle {
  const d = space.inputs.length;
  const center = Array.from({ length: d }, () => rng.range(0.2, 0.8));
  return {
    center,
    evaluate(c) {
      const z = normalize(space, toArray(space, c));
      let s = 0;
      for (let i = 0; i < d; i++) s += (z[i] - center[i]) ** 2;
      return 1 - s / d;
    },
  };
}
