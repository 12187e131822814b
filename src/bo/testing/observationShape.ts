import type { Condition } from "../../twin/space.js";
import type { Observation } from "../strategy.js";

/**
 * Extra measured outcomes the suite attaches to each observation, from the condition and the
 * objective value (e.g. raw spectra features a surrogate models). Default: none.
 */
export type OutcomesOf = (condition: Condition, objective: number) => Partial<Omit<Observation, "condition" | "plqy">>;

/** The observation of `condition` with objective value `y` (and the extra outcomes). */
export function makeObservation(condition: Condition, y: number, outcomes?: OutcomesOf): Observation {
  return { ...(outcomes ? outcomes(condition, y) : {}), condition: { ...condition }, plqy: y };
}

/** The objective value of an observation. */
export const objectiveOf = (o: Observation): number => o.plqy;

/** The same observation with its objective replaced (extra outcomes recomputed). */
export function withObjective(o: Observation, y: number, outcomes?: OutcomesOf): Observation {
  return makeObservation(o.condition, y, outcomes);
}
