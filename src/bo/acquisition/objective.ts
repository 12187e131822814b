import type { Surrogate } from "../surrogate.js";
import { clampedSigma, MIN_SIGMA, type MomentAcquisition } from "./types.js";

/**
 * A batch objective the acquisition optimiser maximises, over points in the unit cube.
 * `valueAndGradient` is present when the surrogate gives posterior gradients.
 */
export interface AcquisitionObjective {
  /** Values at q points, shape [q][d] -> [q]. */
  value(X: readonly (readonly number[])[]): Float64Array;
  /** Values [q] and gradients [q*d] row-major. */
  valueAndGradient?(X: readonly (readonly number[])[]): { value: Float64Array; gradient: Float64Array };
}

/**
 * Compose a surrogate's posterior with an acquisition on moments (surrogate ->
 * posterior -> acquisition, one way). With `posteriorGradient` the chain rule gives
 * d a/dx = a_mu d mu/dx + a_sigma d var/dx / (2 sigma).
 */
export function acquisitionObjective(surrogate: Surrogate, acq: MomentAcquisition): AcquisitionObjective {
  const value = (X: readonly (readonly number[])[]): Float64Array => {
    const p = surrogate.posterior(X);
    const out = new Float64Array(X.length);
    for (let i = 0; i < X.length; i++) out[i] = acq.value(p.mean[i], clampedSigma(p.variance[i]));
    return out;
  };
  const objective: AcquisitionObjective = { value };
  if (surrogate.posteriorGradient) {
    const posteriorGradient = surrogate.posteriorGradient.bind(surrogate);
    objective.valueAndGradient = (X) => {
      const q = X.length;
      const d = q > 0 ? X[0].length : 0;
      const p = posteriorGradient(X);
      const v = new Float64Array(q);
      const g = new Float64Array(q * d);
      const buf = new Float64Array(3);
      for (let i = 0; i < q; i++) {
        const variance = p.variance[i];
        const sigma = clampedSigma(variance);
        acq.grad(p.mean[i], sigma, buf);
        v[i] = buf[0];
        // Below the clamp sigma is constant, so its gradient is zero there.
        const dSigmaFactor = variance > MIN_SIGMA * MIN_SIGMA ? buf[2] / (2 * sigma) : 0;
        for (let j = 0; j < d; j++) g[i * d + j] = buf[1] * p.dMean[i * d + j] + dSigmaFactor * p.dVariance[i * d + j];
      }
      return { value: v, gradient: g };
    };
  }
  return objective;
}
