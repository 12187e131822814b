import { UsageError } from "../../core/errors.js";
import type { AskOptions } from "../strategy.js";

/**
 * UCB's exploration weight at one ask when the campaign ends with a phase of exploitation:
 * `beta` until the final phase (the last max(1, round(`finalPhase` x budget)) experiments),
 * then tapering linearly to 0, reached at the budget's last experiment (pure posterior mean).
 * So the last part of the budget is spent near the posterior-mean maximiser, where the
 * final recommendation is, and the model is most accurate there. Without `progress` (a
 * caller that has no budget) or with `finalPhase` 0 the weight is `beta` throughout.
 *
 * @param beta UCB weight (mu + sqrt(beta) sigma), >= 0.
 * @param finalPhase fraction of the budget, in [0, 1].
 * @param progress optimizer experiments done before this ask and the budget.
 */
export function ucbBetaAt(beta: number, finalPhase: number, progress: AskOptions["progress"]): number {
  if (!progress || !inFinalPhase(finalPhase, progress)) return beta;
  const left = progress.budget - progress.done; // experiments left, this one included
  return (beta * Math.max(0, left - 1)) / phaseLength(finalPhase, progress.budget);
}

/** Experiments in the final phase: max(1, round(fraction x budget)). */
function phaseLength(fraction: number, budget: number): number {
  return Math.max(1, Math.round(fraction * budget));
}

/** Checks a final-phase fraction (a {@link UsageError} naming the strategy otherwise). */
export function checkFinalPhase(strategy: string, finalPhase: number): number {
  if (!(finalPhase >= 0 && finalPhase <= 1))
    throw new UsageError(
      `strategy ${strategy}: finalPhase = ${finalPhase} must be a fraction of the budget between 0 and 1`,
      "give e.g. 0.25 for the last quarter",
    );
  return finalPhase;
}

/**
 * Whether an ask falls in the final phase of the budget: the last max(1, round(`fraction`
 * x budget)) experiments (the ask's own experiment included). False without `progress` or
 * with `fraction` 0. Used to switch acquisition near the end (e.g. UCB, then the knowledge
 * gradient).
 *
 * @param fraction fraction of the budget, in [0, 1].
 * @param progress optimizer experiments done before this ask and the budget.
 */
export function inFinalPhase(fraction: number, progress: AskOptions["progress"]): boolean {
  if (!progress || fraction <= 0 || !(progress.budget > 0)) return false;
  return progress.budget - progress.done <= phaseLength(fraction, progress.budget);
}
