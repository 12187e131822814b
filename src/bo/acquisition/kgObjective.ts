import type { Surrogate } from "../surrogate.js";
import { logKnowledgeGradient } from "./knowledgeGradient.js";
import type { AcquisitionObjective } from "./objective.js";

/** Floor of the log knowledge gradient the optimiser sees (finite, so finite differences stay finite). */
export const LOG_KG_FLOOR = -1e300;

/**
 * The discrete knowledge gradient of candidates x against a fixed reference set A as the
 * acquisition optimiser's batch objective, on the log scale (no gradient: the optimiser
 * uses batched finite differences). For each x the lines are the reference points plus x
 * itself: intercepts the posterior means, slopes Sigma(A+x, x) / sqrt(var(x) + noise), so
 * the value is the expected increase of max over A+x of the posterior mean that one noisy
 * measurement at x would bring (Frazier, Powell & Dayanik 2009). Shape [q][d] -> [q].
 * Undefined when the surrogate has no {@link Surrogate.crossCovariance}.
 *
 * @param reference A, unit cube, shape [M][d]: the points whose posterior mean may become
 *   the final answer (observed points, the current posterior-mean maximiser, high-mean
 *   space-filling points, ...).
 */
export function knowledgeGradientObjective(surrogate: Surrogate, reference: readonly (readonly number[])[]): AcquisitionObjective | undefined {
  if (!surrogate.crossCovariance || reference.length === 0) return undefined;
  const crossCovariance = surrogate.crossCovariance.bind(surrogate);
  const refMean = surrogate.posterior(reference).mean;
  const M = reference.length;
  return {
    value(X) {
      const q = X.length;
      const out = new Float64Array(q);
      if (q === 0) return out;
      const c = crossCovariance(X, reference);
      const mean = surrogate.posterior(X).mean;
      const a = new Float64Array(M + 1);
      const b = new Float64Array(M + 1);
      a.set(refMean);
      for (let i = 0; i < q; i++) {
        const s = Math.sqrt(c.variance[i] + c.noiseVariance);
        a[M] = mean[i];
        for (let k = 0; k < M; k++) b[k] = s > 0 ? c.cross[i * M + k] / s : 0;
        b[M] = s > 0 ? c.variance[i] / s : 0;
        const v = logKnowledgeGradient(a, b);
        out[i] = Number.isNaN(v) ? LOG_KG_FLOOR : Math.max(LOG_KG_FLOOR, v);
      }
      return out;
    },
  };
}
