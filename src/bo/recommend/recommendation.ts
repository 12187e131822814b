import type { Condition } from "../problem/space.js";
import { normCdf } from "../acquisition/normal.js";
import { posteriorMeanAcquisition } from "../acquisition/mean.js";
import { acquisitionObjective } from "../acquisition/objective.js";
import type { FeasibleSet } from "../optimize/feasibleSet.js";
import { optimizeAcqf } from "../optimize/optimizeAcqf.js";
import type { Surrogate } from "../surrogate.js";

/**
 * The model's recommended best condition: the maximiser of its posterior mean over the
 * feasible set, with the predicted mean and a central interval of the latent objective
 * (mean +- z std, z = 1.96 for 95 %). What an experimenter should take home, as opposed
 * to the best (possibly lucky) reading. A strategy gives it on its utility scale (the
 * negated objective for a minimize problem); the campaign runner turns it into the
 * objective's own orientation (`recommendationAsObjective`) before storing or returning it.
 */
export interface Recommendation {
  /** Physical units. */
  condition: Condition;
  /** Predicted objective (posterior mean) at the condition. */
  mean: number;
  /** Posterior standard deviation of the latent objective (measurement noise excluded). */
  std: number;
  /** Central interval of the latent objective, `level` coverage under a normal posterior. */
  lower: number;
  upper: number;
  level: number;
  /** Observations the model had seen. */
  observations: number;
}

/** Settings of the posterior-mean search. */
export interface MeanMaximizerSettings {
  /** Scrambled Sobol candidates. Default 4096. */
  rawSamples: number;
  /** Gradient refinements from the best distinct candidates. Default 16. */
  restarts: number;
  /** Iterations per refinement. Default 200. */
  maxIterations: number;
  finiteDifference: "central" | "forward";
}

export const DEFAULT_MEAN_MAXIMIZER: MeanMaximizerSettings = { rawSamples: 4096, restarts: 16, maxIterations: 200, finiteDifference: "central" };

/**
 * Maximise the posterior mean of a fitted surrogate over the feasible set (unit cube):
 * space-filling candidates plus multi-start projected gradient (optimizeAcqf with no
 * excluded balls), and the `extraPoints` (e.g. the observed points) as candidates too, so
 * the answer is never worse than the best of them. Returns the point [d], its mean and
 * latent standard deviation.
 */
export function maximizePosteriorMean(
  surrogate: Surrogate,
  feasible: FeasibleSet,
  seed: number,
  extraPoints: readonly (readonly number[])[] = [],
  settings: Partial<MeanMaximizerSettings> = {},
): { x: number[]; mean: number; std: number } {
  const s = { ...DEFAULT_MEAN_MAXIMIZER, ...settings };
  const res = optimizeAcqf({
    objective: acquisitionObjective(surrogate, posteriorMeanAcquisition()),
    feasible,
    rawSamples: s.rawSamples,
    restarts: Math.min(s.restarts, s.rawSamples),
    maxIterations: s.maxIterations,
    finiteDifference: s.finiteDifference,
    seed,
  });
  let x = res.x;
  if (extraPoints.length > 0) {
    const m = surrogate.posterior(extraPoints).mean;
    let b = -1;
    for (let i = 0; i < m.length; i++) if (Number.isFinite(m[i]) && (b < 0 || m[i] > m[b])) b = i;
    if (b >= 0 && m[b] > res.value) x = [...extraPoints[b]];
  }
  const p = surrogate.posterior([x]);
  return { x, mean: p.mean[0], std: Math.sqrt(Math.max(0, p.variance[0])) };
}

/** Two-sided standard-normal quantile for a central interval of coverage `level` in (0, 1): 0.95 -> 1.96. */
export function centralZ(level: number): number {
  let lo = 0;
  let hi = 40;
  const target = 0.5 + level / 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normCdf(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
