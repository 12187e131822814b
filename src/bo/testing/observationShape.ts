import type { Condition } from "../problem/space.js";
import type { Observation } from "../strategy.js";

/**
 * Measured outcomes the suite attaches to each observation, from the condition and the
 * objective value (e.g. the raw features a surrogate models, chosen so that the problem's
 * objective formula gives back the value). Default: none.
 */
export type OutcomesOf = (condition: Condition, objective: number) => Record<string, number>;

/** The observation of `condition` with objective value `y` (and the outcomes). */
export function makeObservation(condition: Condition, y: number, outcomes?: OutcomesOf): Observation {
  return { condition: { ...condition }, objective: y, ...(outcomes ? { outcomes: outcomes(condition, y) } : {}) };
}

/** The objective value of an observation. */
export const objectiveOf = (o: Observation): number => o.objective;
