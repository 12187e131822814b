import type { Problem } from "../problem/problem.js";
import type { Recommendation } from "../recommend/recommendation.js";

/**
 * Strategies maximise a utility: the objective itself for a maximize problem, its negative
 * for a minimize problem (see `utilityOf`). What a user sees and what the store keeps is
 * the objective in its own orientation, so model predictions are turned back here.
 */

/**
 * A recommendation from a strategy (utility scale) in the objective's own units: for a
 * minimize problem the predicted mean is negated and the interval's ends swap (lower <=
 * upper holds in both); std, level and the condition are unchanged.
 */
export function recommendationAsObjective(problem: Pick<Problem, "objective">, r: Recommendation): Recommendation {
  if (problem.objective.goal !== "minimize") return r;
  return { ...r, mean: -r.mean, lower: -r.upper, upper: -r.lower };
}

/**
 * Proposal info (JSON-safe, as journaled) with the objective values a strategy reports,
 * the model's predicted `mean` and the `incumbent` (best observed), in the objective's own
 * orientation (negated for a minimize problem). `std` is unchanged; acquisition values
 * and the acquisition's own incumbent are utility quantities of the strategy and stay.
 */
export function predictionInfoAsObjective(problem: Pick<Problem, "objective">, info: Record<string, unknown>): Record<string, unknown> {
  if (problem.objective.goal !== "minimize") return info;
  const out = { ...info };
  for (const k of ["mean", "incumbent"]) if (typeof out[k] === "number") out[k] = -(out[k] as number);
  return out;
}
